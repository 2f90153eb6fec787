--## print basics
print(1, "a", nil, true, false)
print()
print(1.5, -2, 1e300, 2^53)
--## type names
print(type(nil), type(1), type("x"), type({}), type(print), type(function() end), type(true))
print(type(coroutine.create(function() end)))
--## type no value
print(pcall(type))
--## tostring numbers
print(tostring(10/2), tostring(1/3), tostring(-0.0), tostring(100000000000000), tostring(1e15))
print(tostring(123456789012), tostring(0.1+0.2), tostring(3.14159265358979))
--## tonumber basics
print(tonumber("10"), tonumber("0x10"), tonumber("  12  "), tonumber("1e2"), tonumber("abc"), tonumber(""))
print(tonumber("10", 2), tonumber("ff", 16), tonumber("zz", 36), tonumber("8", 8), tonumber(" 11 ", 2))
print(tonumber("1e"), tonumber(".5"), tonumber("5."), tonumber("0x"), tonumber(nil))
--## tonumber base errors
print(pcall(tonumber, "10", 1))
print(pcall(tonumber, "10", 37))
print(pcall(tonumber))
--## select
print(select("#"), select("#", nil, nil), select(2, "a", "b", "c"), select(-1, "a", "b", "c"))
print(pcall(select, 0, 1))
--## select negative
print(select(-2, 1, 2, 3))
print(pcall(select, -5, 1))
--## unpack
print(unpack({1, 2, 3}))
print(unpack({1, 2, 3}, 2))
print(unpack({1, 2, 3}, 2, 5))
print(unpack({}, 1, 0))
--## rawget rawset rawequal
local t = setmetatable({}, {__index = function() return "meta" end, __newindex = function() error("no") end})
print(t.x, rawget(t, "x"))
rawset(t, "x", 1)
print(t.x, rawequal(t, t), rawequal(t, {}), rawequal(1, 1))
--## assert
print(pcall(assert, false))
print(pcall(assert, nil, "custom"))
print(assert(1, 2, 3))
print(pcall(assert))
--## error with levels
local function f() error("lvl1") end
local function g() error("lvl2", 2) end
local function h() g() end
print(pcall(f))
print(pcall(h))
print(pcall(error, "zero", 0))
--## error non-string values
print(pcall(error, 42))
print(pcall(error, nil))
print(select("#", pcall(error)))
local ok, e = pcall(error, {code = 1})
print(ok, type(e), e.code)
--## error number value gets position
local ok, e = pcall(function() error(42) end)
print(ok, e, type(e))
--## pcall returns
print(pcall(function(...) return ... end, 1, 2, 3))
print(pcall(print, "inside"))
print(pcall(nil))
print(pcall(pcall))
--## xpcall handler
print(xpcall(function() error("bad") end, function(m) return "handled: " .. m end))
print(xpcall(function() return 1, 2 end, print))
--## xpcall handler gets table
print(xpcall(function() error({1}) end, function(m) return type(m) end))
--## nested pcall
print(pcall(pcall, error, "x"))
print(pcall(function() local ok, e = pcall(error, "inner") error("outer:" .. e, 0) end))
--## getmetatable protected
local t = setmetatable({}, {__metatable = "locked"})
print(getmetatable(t))
print(pcall(setmetatable, t, {}))
print(getmetatable("abc").__index == string)
--## setmetatable errors
print(pcall(setmetatable, 1, {}))
print(pcall(setmetatable, {}, 1))
--## ipairs stops at nil
local t = {1, 2, nil, 4}
for i, v in ipairs(t) do print(i, v) end
--## pairs over array
local t = {"a", "b", "c"}
for k, v in pairs(t) do print(k, v) end
--## next
local t = {10}
print(next(t))
print(next(t, 1))
print(next({}))
print(pcall(next, {}, "nokey"))
--## pairs sorted keys
local t = {x = 1, y = 2, z = 3, 10, 20}
local keys = {}
for k in pairs(t) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
print(table.concat(keys, ","))
--## _G and _VERSION
print(_VERSION, _G._G == _G, _G.print == print)
--## loadstring ok
local f = loadstring("return 1 + 1")
print(f())
local g = loadstring("local a, b = ... return a * b")
print(g(6, 7))
--## loadstring syntax error names
print(loadstring("x = "))
print(loadstring("x = ", "=mychunk"))
print(loadstring("x = ", "@file.lua"))
--## loadstring long chunk name
print(loadstring("return +", "a very long chunk name that goes on and on and on and on and on forever"))
print(loadstring("local x = 1\nreturn +"))
--## load with reader
local parts = {"return ", "1 ", "+ 41"}
local i = 0
local f = load(function() i = i + 1 return parts[i] end)
print(f())
print(type(load(function() return nil end)))
--## getfenv setfenv
local function f() return x end
local env = {x = "from env"}
setfenv(f, env)
print(f(), getfenv(f) == env)
x = "global"
print(getfenv(1) == _G or getfenv(1).x)
--## setfenv level 1
local function g()
  setfenv(1, {print = print, y = 5})
  print(y)
end
g()
--## getfenv of native
print(getfenv(print) == _G)
print(pcall(setfenv, print, {}))
--## collectgarbage
print(collectgarbage("collect"), collectgarbage(), type(collectgarbage("count")))
print(pcall(collectgarbage, "bogus"))
--## newproxy
local p = newproxy(true)
print(type(p), type(getmetatable(p)))
getmetatable(p).__index = function(_, k) return k .. "!" end
print(p.hello)
local q = newproxy(p)
print(getmetatable(q) == getmetatable(p))
--## tostring with __tostring
local t = setmetatable({}, {__tostring = function() return "custom!" end})
print(tostring(t))
print(t)
--## gcinfo type
print(type(gcinfo()))
--## print uses global tostring
local old = tostring
tostring = function(v) return "<" .. old(v) .. ">" end
print(1, "a")
tostring = old
--## rawset errors
print(pcall(rawset, {}, nil, 1))
print(pcall(rawset, 1, 1, 1))
--## unpack with nils
print(unpack({1, nil, 3}))
print(select("#", unpack({1, nil, 3})))
