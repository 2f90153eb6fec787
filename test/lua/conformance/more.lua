--## format padding combos
print(string.format("[%3d][%-3d][%03d][%.3d][%+.2d][% 05d]", 7, 7, 7, 7, 7, 7))
--## format negative numbers
print(string.format("%d %5d %-5d| %05d %x", -42, -42, -42, -42, -1))
--## format large integers
print(string.format("%d %d %.0f", 2^53, -2^53, 2^60))
--## format g precision variants
print(string.format("%.1g %.2g %.5g %.14g %.17g", 0.15, 2.5, 123456789, 0.1, 0.1))
--## format e small and large
print(string.format("%.2e %.0e %e", 1.005, 5000, 0))
--## format f rounding
print(string.format("%.1f %.2f %.0f %.0f %.3f", 0.05, 2.675, 0.4, 1.6, -0.0005))
--## format hex of negative float
print(string.format("%x %X %o", 255.9, 3.7, 9.9))
--## format many args
print(string.format("%s-%s-%s-%s-%s", 1, 2, 3, 4, 5))
--## format %s with embedded zero
print(#string.format("%s", "a\0b"))
--## format %q with control chars
print(string.format("%q", "tab\there\1"))
--## format %c zero
print(#string.format("%c", 0))
--## format %i
print(string.format("%i|%5i", 12, -3))
--## tostring precision
print(0.1 + 0.2 == 0.3, 0.1 + 0.2, 1 - 0.9, 100 * 1.1)
--## large and small formatting in concat
print(1e14 .. "", 1e13 .. "", 123456.789e3 .. "", 5e-5 .. "", 2^-10 .. "")
--## integer-valued floats
print(3.0, -3.0, 1e2, 10 / 5, 7 // 1 == nil)
--## coercion in concat and compare
print(10 .. "", "10" == 10, 10 == tonumber("10"), "abc" .. 1.25)
--## string to number edge cases
print(tonumber("  0x1F  "), tonumber("1e+2"), tonumber("-0x10"), tonumber("+5"), tonumber("- 5"), tonumber("5 5"))
print(tonumber("inf"), tonumber("nan") ~= tonumber("nan"), tonumber("1.5e308") * 10)
--## arithmetic on numeric strings keeps number results
local r = "5" + "5"
print(r, type(r), "3" * 2, type("3" .. 2))
--## modulo by inf
print(math.huge % 2 ~= math.huge % 2)
--## division by zero
print(1 / 0, -1 / 0, 0 / 0 ~= 0 / 0)
--## exponent operator
print(2 ^ 0.5, (-8) ^ (1 / 3) ~= (-8) ^ (1 / 3), 10 ^ -1, 0 ^ 0)
--## math.floor on negatives and big
print(math.floor(-0.5), math.ceil(-0.5), math.floor(2^40 + 0.5), math.abs(-0))
--## math.max with strings
print(math.max("10", 9), math.min(1, "0.5"))
--## math.fmod negative
print(math.fmod(-7, 2), math.fmod(7, -2), math.fmod(5.5, 2))
--## math.modf negative zero
print(math.modf(-0.5))
--## string.rep with zero and negative
print("[" .. string.rep("x", -1) .. "]", "[" .. string.rep("", 5) .. "]")
--## string.sub negative ranges
local s = "abcdef"
print(s:sub(-100, 2), s:sub(3, -3), s:sub(-2, -1), s:sub(0, 0), s:sub(7, 7))
--## string.byte out of range
print(string.byte("abc", 10), select("#", string.byte("abc", 10)), string.byte("abc", 0))
--## string.find special chars plain
print(string.find("a+b", "+", 1, true), string.find("a.b", "%."), string.find("x[y]", "[", 1, true))
--## string.find init beyond
print(string.find("abc", "a", 2), string.find("abc", "c", -1), string.find("abc", "a", -10))
--## string.match with init
print(string.match("hello world", "%a+", 6), string.match("abc", ".", -1))
--## gsub with pattern special replacement
print(string.gsub("hello", "(l)(l)", "%2%1"), string.gsub("abc", ".", {a = 1, b = true}))
--## gsub position capture
print(string.gsub("abc", "()", "%1"))
--## gsub anchored repeated
print(string.gsub("aaa", "^a", ""), string.gsub("", "^", "x"))
--## gmatch with captures and positions
for a, b in string.gmatch("k1=v1;k2=v2", "(%w+)=(%w+)") do print(a, b) end
for p in string.gmatch("abc", "()") do io = nil print(p) end
--## gmatch anchor is literal
local n = 0 for m in string.gmatch("^a^a", "^a") do n = n + 1 end print(n)
--## pattern with %z and dot
print(string.find("a\0b", "%z"), string.match("a\0b", "a.b") == "a\0b")
--## nested captures
print(string.match("2024-06-01", "((%d+)-(%d+))-(%d+)"))
--## pattern minimal vs greedy
print(string.match("<a><b>", "<(.*)>"), string.match("<a><b>", "<(.-)>"))
--## frontier at ends
print(string.gsub("hello world", "%f[%a]", "|"))
print(string.gsub("THE END", "%f[%A]", "|"))
--## balanced nested
print(string.match("x = {a, {b, c}, d} rest", "%b{}"))
print(string.match("((a)", "%b()"))
--## character class in set with ranges
print(string.gsub("Hello, World! 123", "[%a%d]", "."))
print(string.gsub("a-b_c", "[_%-]", " "))
--## upper/lower with digits
print(string.upper("abc123xyz"), string.lower("MiXeD 9"))
--## string length operator on numbers errors
print(pcall(function() return #123 end))
--## concat chain with numbers and floats
print(1 .. 2 .. 3, 1.5 .. "|" .. -0.25)
--## table.concat with numbers
print(table.concat({1, 2.5, "x", 1e20}, ","))
--## table.insert with float position
local t = {1, 2, 3}
table.insert(t, 2.0, "f")
print(table.concat(t, ","))
--## table.remove middle shifts
local t = {"a", "b", "c", "d"}
print(table.remove(t, 2), table.concat(t), #t)
--## table.sort stability irrelevant but results deterministic
local t = {3, 1, 2, 3, 1, 2}
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
--## table.sort strings with numbers mixed order
local t = {"10", "9", "100", "1"}
table.sort(t)
print(table.concat(t, " "))
--## sort of two and three elements
local a, b = {2, 1}, {3, 1, 2}
table.sort(a) table.sort(b)
print(table.concat(a), table.concat(b))
--## sort with nil holes errors
print(pcall(table.sort, {1, nil, 3}))
--## unpack ranges
print(unpack({1, 2, 3}, -1, 1))
print(unpack({"a", "b"}, 1, 3))
--## select with negative and many
print(select(-1, 1, 2, 3), select(2, "a"))
--## ipairs after modification
local t = {1, 2, 3}
for i, v in ipairs(t) do if i == 1 then t[3] = nil end io = nil print(i, v) end
--## pairs count mixed table
local t = {1, 2, 3, a = 1, b = 2}
local c = 0 for _ in pairs(t) do c = c + 1 end print(c)
--## next returns array part first
local t = {"x", "y"}
t.k = "v"
local k, v = next(t)
print(k, v)
--## length of string with multibyte bytes
print(#"\195\169t\195\169")
--## while with complex condition
local i, j = 0, 10
while i < 5 and j > 5 do i = i + 1 j = j - 1 end
print(i, j)
--## repeat with break
local n = 0
repeat n = n + 1 if n == 3 then break end until false
print(n)
--## numeric for does not modify outer
local i = 100
for i = 1, 2 do end
print(i)
--## for loop var modification does not affect iteration
for i = 1, 3 do local x = i i = i * 10 io = nil print(x, i) end
--## goto is a name in 5.1
local goto = 5
print(goto)
--## multiple returns through pcall
print(select("#", pcall(function() return nil, nil end)))
--## closures in table constructors
local t = {f = function(x) return x + 1 end, g = function(self) return self.v end, v = 9}
print(t.f(1), t:g())
--## vararg in middle truncated
local function f(...) return ... end
local t = {f(1, 2), f(3, 4)}
print(#t, t[1], t[2], t[3])
--## parenthesized vararg
local function g(...) return (...) end
print(g(5, 6, 7))
--## string keys vs number keys
local t = {}
t["10"] = "s" t[10] = "n"
print(t["10"], t[10])
--## boolean keys
local t = {[true] = "yes", [false] = "no"}
print(t[true], t[false], t[1 == 1])
--## table as key
local k = {}
local t = {[k] = "tablekey"}
print(t[k], t[{}])
--## functions as keys
local t = {[print] = "p"}
print(t[print])
--## deep metatables with rawget
local t = setmetatable({}, {__index = {a = 1}})
print(t.a, rawget(t, "a"))
--## setmetatable returns table
local t = {}
print(setmetatable(t, nil) == t, getmetatable(t))
--## tostring on booleans and nil
print(tostring(true) .. tostring(false) .. tostring(nil))
--## type of varargs
local function types(...) local r = {} for i = 1, select("#", ...) do r[i] = type((select(i, ...))) end return table.concat(r, ",") end
print(types(1, "a", nil, {}, print))
--## error levels through methods
local obj = {}
function obj:fail() error("method failed") end
print(pcall(obj.fail, obj))
print(pcall(function() obj:fail() end))
--## error with newline in message
print(pcall(error, "line1\nline2"))
--## pcall returns error object identity
local e = setmetatable({}, {__tostring = function() return "E!" end})
local ok, got = pcall(error, e)
print(ok, tostring(got), got == e)
--## nested coroutines with error
local co = coroutine.create(function()
  local inner = coroutine.create(function() error("deep") end)
  local ok, e = coroutine.resume(inner)
  coroutine.yield(e)
  return "end"
end)
print(coroutine.resume(co))
print(coroutine.resume(co))
--## coroutine wrap in for loop with state
local function chars(s)
  return coroutine.wrap(function() for c in s:gmatch(".") do coroutine.yield(c) end end)
end
local out = {}
for c in chars("lua") do out[#out + 1] = c:upper() end
print(table.concat(out))
--## coroutine passing tables
local co = coroutine.wrap(function(t) t.x = 1 local t2 = coroutine.yield(t) return t2.y end)
local t = co({})
print(t.x, co({y = 2}))
--## loadstring with env via setfenv
local f = loadstring("return a + b")
setfenv(f, {a = 1, b = 2})
print(f())
--## loadstring runtime error position
local f = loadstring("local x = nil\nreturn x.y", "=chunk")
print(pcall(f))
--## loadstring default chunk name in runtime error
local f = loadstring("error('boom')")
print(pcall(f))
--## dynamic code generation
local src = {}
for i = 1, 5 do src[#src + 1] = "x" .. i .. " = " .. i * i end
local f = loadstring(table.concat(src, "\n") .. "\nreturn x1 + x5")
local env = {}
setfenv(f, env)
print(f(), env.x3)
--## getfenv level 2
local function inner() return getfenv(2) end
local function outer() return inner() end
local env = setmetatable({}, {__index = _G})
setfenv(outer, env)
print(outer() == env)
--## setfenv invalid level
print(pcall(setfenv, 50, {}))
--## globals through _G
_G.newglobal = "ng"
print(newglobal, rawget(_G, "newglobal"))
--## string methods on numbers need tostring
print(pcall(function() local n = 5 return n:rep(2) end))
--## number to string keys are different
local t = {}
t[1] = "a" t["1"] = "b"
local c = 0 for _ in pairs(t) do c = c + 1 end
print(c)
--## long string with levels and newlines
local s = [==[
first
]] still
]==]
print(s, #s)
--## escape decimal
print("\97\98\99", "\0491")
--## comparison chains with and/or
local x = 5
print(x > 1 and x < 10, x < 1 or x > 3, not (x == 5))
--## numeric precision output
print(1/7, 22/7, 1e-10, 123.456e10)
--## integer overflow region
print(2^53 + 1, 2^53 + 2, -2^63, 2^64)
--## math.random with seed determinism on engine only checks type
math.randomseed(7)
print(type(math.random()), math.random(5, 5))
--## collectgarbage count is number
print(type(collectgarbage("count")), collectgarbage("step") ~= nil)
--## string.len vs # with embedded zeros
print(string.len("a\0\0b"), #"a\0\0b")
--## string.format with width on strings and numbers mix
print(string.format("%-8s|%8.3f|%-6d|", "name", math.pi, 42))
