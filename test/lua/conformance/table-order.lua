--## pairs order: short string keys
local t = {}
for _, k in ipairs({"a", "bb", "ccc", "dddd", "hello", "world", "x1", "x2", "x3", "foo", "bar", "id", "name"}) do t[k] = #k end
local o = {} for k, v in pairs(t) do o[#o + 1] = k .. "=" .. v end
print(table.concat(o, " "))
--## pairs order after each insertion (every rehash visible)
local t = {}
for i = 1, 20 do
  t["key" .. i] = i
  local o = {} for k in pairs(t) do o[#o + 1] = k end
  print(i, table.concat(o, ","))
end
--## pairs order: string keys of many lengths, longer than 32 bytes
local t = {}
for n = 0, 80, 5 do t[string.rep("k", n) .. n] = n end
t[string.rep("abcdefgh", 8)] = "64" t[string.rep("abcdefgh", 8) .. "!"] = "65"
t[string.rep("x", 31)] = 31 t[string.rep("x", 32)] = 32 t[string.rep("x", 33)] = 33
t[string.rep("x", 63)] = 63 t[string.rep("x", 64)] = 64 t[string.rep("x", 200)] = 200
for k, v in pairs(t) do print(#k, v) end
--## pairs order: strings differing only where long-string hashing skips
local t = {}
local base = string.rep("-", 40)
for i = 0, 9 do t[base .. i] = i t[i .. base] = -i end
for k, v in pairs(t) do print(k, v) end
--## pairs order: bytes above 127 and punctuation
local t = {}
for _, k in ipairs({"\200", "\255\254", "caf\233", "\1\2\3", " ", "  ", "a b", "{", "}", "\"q\"", "\t"}) do t[k] = #k end
for k, v in pairs(t) do print(string.byte(k, 1, -1)) end
--## pairs order: negative, zero, float and huge numeric keys
local t = {}
for _, k in ipairs({-1, -2, 0, 0.5, -0.5, 1.25, 3.75, 1e300, -1e300, 2^31, 2^32, 2^53, -2^31, 1e-300, 100, 1000, 12345}) do t[k] = true end
for k in pairs(t) do print(k) end
--## pairs order: integer keys far from a sequence
local t = {}
for i = 1, 30 do t[i * i * 7] = i end
local o = {} for k, v in pairs(t) do o[#o + 1] = k .. ":" .. v end
print(table.concat(o, " "))
--## pairs order: descending integer fill moves keys into the array part
local t = {}
for i = 20, 1, -1 do
  t[i] = i
  if i % 5 == 0 then local o = {} for k in pairs(t) do o[#o + 1] = k end print(table.concat(o, " ")) end
end
--## pairs order: mixed array, strings, numbers and booleans
local t = {10, 20, 30, x = 1, y = 2, [true] = "t", [false] = "f", [2.5] = "f", [-7] = "n", [100] = "h", z = 3}
for k, v in pairs(t) do print(k, v) end
--## constructors with both parts
local function show(t) local o = {} for k, v in pairs(t) do o[#o + 1] = tostring(k) .. "=" .. tostring(v) end print(#t, table.concat(o, " ")) end
show({1, 2, 3, a = 1, b = 2})
show({a = 1, 1, b = 2, 2, c = 3, 3, d = 4})
show({[1] = "x", [2] = "y", "z"})
show({[3] = 3, [4] = 4, 1, 2})
show({[1.5] = 1, [-1] = 2, [0] = 3, 10, 20})
show({x = 1, y = 2, z = 3, w = 4, v = 5, u = 6, t = 7, s = 8, r = 9})
--## constructors ending in a call or vararg
local function f(...) return ... end
local function show(t) local o = {} for k, v in pairs(t) do o[#o + 1] = tostring(k) .. "=" .. tostring(v) end print(#t, table.concat(o, " ")) end
show({f(1, 2, 3)})
show({a = 1, b = 2, f(1, nil, 3)})
show({a = 1, b = 2, c = 3, d = 4, e = 5, f(1, 2, 3, 4, 5, 6, 7, 8, 9)})
show({x = 1, f(1, 2), y = 2})
show({f()})
show({f(nil, nil)})
local function g(...) return {...} end
show(g(1, nil, 3)) show(g(nil, nil, 3)) show(g(1, 2, 3, nil))
--## constructors with more than 50 items
local function show(t) local o = {} for k, v in pairs(t) do o[#o + 1] = tostring(k) .. "=" .. tostring(v) end print(#t, table.concat(o, " ")) end
local s = "return {" for i = 1, 120 do s = s .. i .. "," if i % 17 == 0 then s = s .. "h" .. i .. "=" .. i .. "," end end
show(loadstring(s .. "}")())
local s = "return {" for i = 1, 40 do s = s .. "k" .. i .. "=" .. i .. "," end
show(loadstring(s .. "}")())
local big = {} for i = 1, 70 do big[i] = i end
show({k1 = 1, k2 = 2, unpack(big)})
--## growth across several rehashes, order after each doubling
local t = {}
for i = 1, 200 do
  t["s" .. i] = i
  t[i * 0.5] = i
  if i == 1 or i == 3 or i == 7 or i == 15 or i == 31 or i == 63 or i == 127 or i == 200 then
    local n, first, last = 0, nil, nil
    for k in pairs(t) do n = n + 1 first = first or k last = k end
    print(i, n, first, last)
  end
end
--## growth: array part migrates out of the hash part
local t = {}
for i = 1, 8 do t[i * 2] = i end
local o = {} for k in pairs(t) do o[#o + 1] = k end print(#t, table.concat(o, " "))
for i = 1, 8 do t[i * 2 - 1] = i end
local o = {} for k in pairs(t) do o[#o + 1] = k end print(#t, table.concat(o, " "))
--## # with holes in constructors
print(#{1, 2, nil, 4}, #{1, nil}, #{nil, nil, 3}, #{1, nil, 3}, #{nil}, #{1, 2, 3, nil})
print(#{1, 2, 3, nil, 5, nil}, #{nil, 2}, #{1, nil, 3, nil}, #{n = 1, 1, 2, nil, 4})
print(#{nil, nil, nil, nil, 5}, #{1, nil, nil, nil, nil, nil, nil, 8})
--## # after assigning nil
local t = {}
for i = 1, 10 do t[i] = i end
t[5] = nil print(#t)
t[10] = nil print(#t)
t[9] = nil print(#t)
local u = {} for i = 1, 8 do u[i] = i end
u[4] = nil u[8] = nil print(#u)
u[3] = nil print(#u)
u[7] = nil u[6] = nil print(#u)
--## # with keys in the hash part
local t = {} t[1] = 1 t[2] = 2 t[4] = 4 print(#t)
local t = {} t[1] = 1 t[3] = 3 t[2] = 2 t[5] = 5 t[4] = 4 print(#t)
local t = {x = 1} t[1] = 1 t[2] = 2 t[3] = 3 print(#t)
local t = {} for i = 1, 5 do t[i] = i end t[3] = nil t[6] = 6 print(#t) t[9] = 9 t[8] = 8 t[7] = 7 print(#t)
local t = {} t[2] = 2 print(#t) t[1] = 1 print(#t)
--## table.insert and table.remove on holey tables
local function show(t) local o = {} for k, v in pairs(t) do o[#o + 1] = k .. "=" .. v end print(#t, table.concat(o, " ")) end
local t = {} for i = 1, 5 do table.insert(t, i) end
t[3] = nil table.insert(t, 9) show(t)
table.remove(t) show(t)
local t = {"a", "b", "c"}
table.insert(t, 2, "x") show(t)
t[10] = "z" table.insert(t, "y") show(t)
table.insert(t, 8, "w") show(t)
local t = {1, 2, 3, nil, 5} table.remove(t, 1) show(t)
local t = {1, nil, 3} print(table.remove(t), #t)
--## unpack and ipairs on holes
print(unpack({1, nil, 3}))
print(unpack({1, 2, nil, 4}))
print(select("#", unpack({nil, nil, 3})))
print(unpack({1, nil, 3, nil, nil}))
local n = 0 for i, v in ipairs({1, 2, nil, 4}) do n = i end print(n)
print(table.concat({1, 2, nil, 4}, ","))
--## table.maxn and table.getn with holes and floats
print(table.maxn({1, 2, nil, [10] = 1, [10.5] = 2}), table.maxn({}), table.maxn({n = 1, [-1] = 1}))
print(table.getn({1, nil, 3}), table.getn({nil, nil}), table.maxn({nil, nil, 3}))
--## next after a key set to nil
local t = {a = 1, b = 2, c = 3}
local k = next(t)
t[k] = nil
print(k, next(t, k))
local t = {10, 20, 30} t[2] = nil print(next(t, 2))
local t = {a = 1, b = 2} t.a = nil print(next(t, "a"))
print(pcall(next, t, "zz"))
print(pcall(next, {}, 1))
print(pcall(next, {1, 2}, 3))
--## deletions during traversal: all keys
local t = {a = 1, b = 2, c = 3, d = 4, e = 5, 10, 20, 30}
for k in pairs(t) do t[k] = nil end
print(next(t))
local o = {} for k, v in pairs({x = 1, y = 2}) do o[#o + 1] = k end print(table.concat(o, ","))
--## deletions during traversal: every other key
local t = {} for i = 1, 30 do t["s" .. i] = i t[i] = i end
local c = 0
for k, v in pairs(t) do c = c + 1 if v % 2 == 0 then t[k] = nil end end
local o = {} for k, v in pairs(t) do o[#o + 1] = tostring(k) end
print(c, #t, table.concat(o, " "))
--## deletions during traversal, then reinsertion of other keys
local t = {} for i = 1, 12 do t["k" .. i] = i end
for k, v in pairs(t) do if v > 6 then t[k] = nil end end
for i = 1, 4 do t["n" .. i] = i end
local o = {} for k, v in pairs(t) do o[#o + 1] = k end print(table.concat(o, " "))
--## assigning nil to an absent key creates a slot
local t = {} t.x = nil t.y = 1
for k, v in pairs(t) do print(k, v) end
local t = {} for i = 1, 10 do t[i] = i end for i = 1, 10 do t[i] = nil end
t.x = 1 for k, v in pairs(t) do print(k, v) end
t[1] = 1 for k, v in pairs(t) do print(k, v) end
--## __newindex sees keys that already got a slot
local t = setmetatable({}, {__newindex = function(t, k, v) rawset(t, "_" .. tostring(k), v) end})
t.a = 1 t.b = 2 t.c = 3 t[1] = 4 t[2] = 5
local o = {} for k, v in pairs(t) do o[#o + 1] = k .. "=" .. v end print(table.concat(o, " "))
local n = 0 local u = setmetatable({}, {__newindex = function() n = n + 1 end})
for i = 1, 10 do u["n" .. i] = i end u.z = 1 rawset(u, "w", 1)
local o = {} for k, v in pairs(u) do o[#o + 1] = k end print(n, table.concat(o, " "))
--## rawset order and table.sort keeps the array part
local t = {} for _, k in ipairs({"m", "n", "o", "p"}) do rawset(t, k, k:upper()) end
for k, v in pairs(t) do print(k, v) end
local s = {5, 3, 1, 4, 2, x = 1} table.sort(s)
for k, v in pairs(s) do print(k, v) end
--## -0 and integral floats as keys
local t = {} t[-0] = "negzero" t[2.0] = "two" t[3] = "three" t[0.1 + 0.2] = "pt3"
for k, v in pairs(t) do print(k, v) end
print(t[0], t[2], t[-0])
--## many tables built the same way iterate the same way
local function build(n) local t = {} for i = 1, n do t["f" .. (i * 37 % 101)] = i end return t end
local a, b = build(40), build(40)
local same = true
local ka, kb = next(a), next(b)
while ka do if ka ~= kb then same = false end ka, kb = next(a, ka), next(b, kb) end
print(same)
local o = {} for k in pairs(a) do o[#o + 1] = k end print(table.concat(o, " "))
--## a random workload (deterministic generator) with numbers, strings and booleans
local seed = 42
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return math.floor(seed / 65536) % n end
local function key()
  local r = rnd(8)
  if r < 3 then return rnd(40) + 1 elseif r < 5 then return "k" .. rnd(60)
  elseif r < 6 then return rnd(200) - 100 + rnd(4) / 4 elseif r < 7 then return rnd(2) == 0
  else return 2 ^ rnd(60) end
end
local t = {}
for step = 1, 300 do
  local op = rnd(10)
  if op < 6 then t[key()] = step elseif op < 8 then t[key()] = nil else table.insert(t, step) end
  if step % 50 == 0 then
    local o = {} for k, v in pairs(t) do o[#o + 1] = tostring(k) .. "=" .. v end
    print(#t, table.concat(o, " "))
  end
end
--## pairs over the standard library tables
for _, name in ipairs({"string", "table", "math", "coroutine"}) do
  local o = {} for k in pairs(_G[name]) do o[#o + 1] = k end
  print(name, table.concat(o, " "))
end
--## string.gfind is gmatch (LUA_COMPAT_GFIND)
for w in string.gfind("one two three", "%a+") do print(w) end
print(pcall(string.gfind))
