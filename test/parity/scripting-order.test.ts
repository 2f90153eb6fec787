/**
 * Parity: replies whose order is Lua 5.1's table order (pairs/next over the array part then the
 * node vector), and `#` on tables with holes: cjson.encode objects, cmsgpack maps, keys collected
 * with pairs, RESP3 map/set replies built from Lua tables.
 */
import { paritySuite, type ParityCase } from "./harness.js";

const e = (script: string, ...keysAndArgs: string[]) => ["EVAL", script, "0", ...keysAndArgs];
/** Collects the keys (as strings) of the table expression `t` with pairs, in iteration order. */
const keysOf = (t: string) =>
  e(`local t = ${t} local o = {} for k, v in pairs(t) do o[#o + 1] = tostring(k) end return o`);
/** Returns a packed string's bytes as hex, so replies stay printable. */
const hex = (expr: string) =>
  e(
    `local s = ${expr}; return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end))`,
  );

const cases: ParityCase[] = [
  {
    name: "cjson.encode object key order",
    steps: [
      e("return cjson.encode({a = 1, b = 2, c = 3})"),
      e("return cjson.encode({id = 7, name = 'n', score = 1.5, tags = {'x', 'y'}, active = true})"),
      e("local t = {} for i = 1, 20 do t['field' .. i] = i end return cjson.encode(t)"),
      e("local t = {} for i = 1, 40 do t[string.rep('k', i)] = i end return cjson.encode(t)"),
      e("return cjson.encode({x = {y = {z = 1, w = 2}, v = 3}, u = {4, 5}, t = 'six'})"),
      e("return cjson.encode({[1.5] = 'a', [2.5] = 'b', [-1] = 'c', k = 'd'})"),
      e("return cjson.encode({1, 2, 3, name = 'mixed'})"),
      e("local t = {a = 1, b = 2, c = 3, d = 4} t.b = nil t.e = 5 return cjson.encode(t)"),
      e('return cjson.encode(cjson.decode(\'{"z":1,"y":2,"x":3,"w":4,"v":5,"u":6}\'))'),
      e("return cjson.encode({{a = 1, b = 2}, {c = 3, d = 4, e = 5}})"),
    ],
  },
  {
    name: "cmsgpack.pack map order",
    steps: [
      hex("cmsgpack.pack({a = 1, b = 2, c = 3})"),
      hex("cmsgpack.pack({id = 7, name = 'n', score = 1.5, active = true, none = false})"),
      hex("(function() local t = {} for i = 1, 20 do t['f' .. i] = i end return cmsgpack.pack(t) end)()"),
      hex("cmsgpack.pack({1, 2, 3, x = 'y'})"),
      hex("cmsgpack.pack({[10] = 'ten', [20] = 'twenty', [0.5] = 'half'})"),
      hex("cmsgpack.pack({nested = {b = 1, a = 2}, list = {3, 2, 1}})"),
      e(
        "local t = cmsgpack.unpack(cmsgpack.pack({p = 1, q = 2, r = 3, s = 4})) local o = {} for k in pairs(t) do o[#o + 1] = k end return o",
      ),
    ],
  },
  {
    name: "keys collected with pairs",
    steps: [
      keysOf("{a = 1, bb = 2, ccc = 3, dddd = 4, hello = 5, world = 6, x1 = 7, x2 = 8, foo = 9, bar = 10}"),
      keysOf("(function() local t = {} for i = 1, 50 do t['key:' .. i] = i end return t end)()"),
      keysOf("{10, 20, 30, x = 1, y = 2, [100] = 3, [-5] = 4, [2.5] = 5, [true] = 6}"),
      keysOf("(function() local t = {} for i = 1, 30 do t[i * i] = i end return t end)()"),
      keysOf("(function() local t = {} for i = 20, 1, -1 do t[i] = i end return t end)()"),
      keysOf(
        "(function() local t = {} for i = 1, 30 do t['s' .. i] = i end for k, v in pairs(t) do if v % 3 == 0 then t[k] = nil end end return t end)()",
      ),
      keysOf("(function() local t = {} t.x = nil t.y = 1 t.z = 2 return t end)()"),
      keysOf("{[string.rep('a', 40)] = 1, [string.rep('b', 33)] = 2, [string.rep('a', 39) .. 'b'] = 3}"),
      e(
        "local t = {} for i = 1, #ARGV do t[ARGV[i]] = i end local o = {} for k, v in pairs(t) do o[#o + 1] = k end return o",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
      ),
    ],
  },
  {
    name: "tables built from redis.call replies iterate in Lua order",
    steps: [
      ["HSET", "h", "alpha", "1", "beta", "2", "gamma", "3", "delta", "4", "epsilon", "5"],
      [
        "EVAL",
        "local r = redis.call('HGETALL', KEYS[1]) local t = {} for i = 1, #r, 2 do t[r[i]] = r[i + 1] end local o = {} for k, v in pairs(t) do o[#o + 1] = k o[#o + 1] = v end return o",
        "1",
        "h",
      ],
      [
        "EVAL",
        "local r = redis.call('HGETALL', KEYS[1]) local t = {} for i = 1, #r, 2 do t[r[i]] = r[i + 1] end return cjson.encode(t)",
        "1",
        "h",
      ],
    ],
  },
  {
    name: "RESP3 map and set replies from Lua tables",
    steps: [
      e("redis.setresp(3) return {map = {a = 1, b = 2, c = 3, d = 4, e = 5}}"),
      e("return {map = {x = 'y', [1] = 'one', [2.5] = 'f'}}"),
      e("return {set = {p = true, q = true, r = true, s = true}}"),
      e("local t = {} for i = 1, 12 do t['m' .. i] = i end return {map = t}"),
    ],
  },
  {
    name: "long string keys (Redis hashes every byte)",
    steps: [
      keysOf(
        "(function() local t = {} for i = 0, 9 do t[string.rep('-', 40) .. i] = i t[i .. string.rep('-', 40)] = i end return t end)()",
      ),
      keysOf("(function() local t = {} for n = 30, 90, 3 do t[string.rep('x', n)] = n end return t end)()"),
      e("local t = {} for i = 1, 16 do t[string.rep('abcdefgh', 5) .. i] = i end return cjson.encode(t)"),
    ],
  },
  {
    name: "a random workload of sets, deletes and inserts",
    steps: [1, 2, 3].map((seed) =>
      e(
        `local seed = ${seed}
        local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return math.floor(seed / 65536) % n end
        local function key()
          local r = rnd(8)
          if r < 3 then return rnd(40) + 1 elseif r < 5 then return 'k' .. rnd(60)
          elseif r < 6 then return rnd(200) - 100 + rnd(4) / 4 elseif r < 7 then return rnd(2) == 0
          else return 2 ^ rnd(60) end
        end
        local t, out = {}, {}
        for step = 1, 300 do
          local op = rnd(10)
          if op < 6 then t[key()] = step elseif op < 8 then t[key()] = nil else table.insert(t, step) end
          if step % 60 == 0 then
            local o = {} for k, v in pairs(t) do o[#o + 1] = tostring(k) .. '=' .. v end
            out[#out + 1] = #t .. ' ' .. table.concat(o, ' ')
          end
        end
        return out`,
      ),
    ),
  },
  {
    name: "function libraries iterate tables in Lua order",
    steps: [
      [
        "FUNCTION",
        "LOAD",
        "#!lua name=orderlib\nredis.register_function('fkeys', function(keys, args) local t = {} for i, a in ipairs(args) do t[a] = i end local o = {} for k in pairs(t) do o[#o + 1] = k end return o end)",
      ],
      ["FCALL", "fkeys", "0", "red", "green", "blue", "cyan", "magenta", "yellow", "black", "white"],
      ["FUNCTION", "DELETE", "orderlib"],
    ],
  },
  {
    name: "pairs over the standard library tables",
    steps: ["string", "table", "math", "coroutine"].map((lib) => keysOf(lib)),
  },
  {
    name: "# on tables with holes",
    steps: [
      e("return {#{1, 2, nil, 4}, #{1, nil}, #{nil, nil, 3}, #{1, nil, 3}, #{1, 2, 3, nil, 5, nil}}"),
      e(
        "local t = {} for i = 1, 10 do t[i] = i end t[5] = nil t[10] = nil return {#t, #{n = 1, 1, 2, nil, 4}}",
      ),
      e("local t = {} t[1] = 1 t[2] = 2 t[4] = 4 local u = {} u[1] = 1 u[3] = 3 u[2] = 2 return {#t, #u}"),
      e("local t = {1, 2, nil, 4} table.insert(t, 'x') return t"),
      e("local t = {1, nil, 3} return {table.remove(t), #t}"),
      e("return {unpack({1, 2, nil, 4})}"),
      e("local t = {} for i = 1, 8 do t[i] = i end t[4] = nil t[8] = nil return #t"),
      e("return cjson.encode({1, 2, nil, 4})"),
    ],
  },
];

paritySuite("scripting-order", cases);
