--## __index table and function
local base = {greet = function() return "hi" end}
local obj = setmetatable({}, {__index = base})
print(obj.greet(), obj.missing)
local dyn = setmetatable({}, {__index = function(t, k) return k .. "?" end})
print(dyn.foo, dyn[1])
--## __newindex
local log = {}
local t = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 2) end})
t.x = 5
print(t.x)
local store = {}
local p = setmetatable({}, {__newindex = store})
p.y = 1
print(rawget(p, "y"), store.y)
--## arithmetic metamethods
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({x = x, y = y}, V) end
V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
V.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
V.__mul = function(a, b) if type(b) == "number" then return vec(a.x * b, a.y * b) end return a.x * b.x + a.y * b.y end
V.__div = function(a, b) return vec(a.x / b, a.y / b) end
V.__mod = function(a, b) return vec(a.x % b, a.y % b) end
V.__pow = function(a, b) return vec(a.x ^ b, a.y ^ b) end
V.__unm = function(a) return vec(-a.x, -a.y) end
V.__tostring = function(a) return "(" .. a.x .. "," .. a.y .. ")" end
local a, b = vec(1, 2), vec(3, 4)
print(tostring(a + b), tostring(a - b), a * b, tostring(a * 2), tostring(b / 2), tostring(b % 2), tostring(a ^ 2), tostring(-a))
--## __concat
local C = setmetatable({}, {__concat = function(a, b)
  local x = type(a) == "table" and "T" or a
  local y = type(b) == "table" and "T" or b
  return x .. y
end})
print(C .. "s", "s" .. C, 1 .. C, "a" .. "b" .. C)
--## __eq __lt __le
local mt = {}
mt.__eq = function(a, b) return a.v == b.v end
mt.__lt = function(a, b) return a.v < b.v end
mt.__le = function(a, b) return a.v <= b.v end
local x, y, z = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt), setmetatable({v = 1}, mt)
print(x == z, x ~= y, x < y, y > x, x <= z, y >= x, x == 1)
--## __le falls back to __lt
local mt = {__lt = function(a, b) return a.v < b.v end}
local x, y = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(x <= y, y <= x)
--## __eq with different metamethods
local x = setmetatable({}, {__eq = function() return true end})
local y = setmetatable({}, {__eq = function() return true end})
print(x == y)
--## __call
local callable = setmetatable({}, {__call = function(self, a, b) return "called", a, b end})
print(callable(1, 2))
print(pcall(callable, "x"))
--## __len not used for tables
local t = setmetatable({1, 2}, {__len = function() return 99 end})
print(#t)
--## __tostring returning non-string
local t = setmetatable({}, {__tostring = function() return 42 end})
print(pcall(tostring, t))
--## __index chain
local A = {a = 1}
local B = setmetatable({b = 2}, {__index = A})
local C = setmetatable({c = 3}, {__index = B})
print(C.a, C.b, C.c, C.d)
--## classes with inheritance
local Animal = {}
Animal.__index = Animal
function Animal.new(name) return setmetatable({name = name}, Animal) end
function Animal:speak() return self.name .. " makes a sound" end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name) return setmetatable(d, Dog) end
function Dog:speak() return self.name .. " barks" end
print(Animal.new("cat"):speak(), Dog.new("rex"):speak(), Dog.new("x").name)
--## string metatable methods
local mt = getmetatable("")
print(type(mt), mt.__index == string, ("x"):rep(3))
--## metamethod on missing arithmetic
local t = setmetatable({}, {})
print(pcall(function() return t + 1 end))
print(pcall(function() return t < t end))
--## rawequal ignores __eq
local mt = {__eq = function() return true end}
local a, b = setmetatable({}, mt), setmetatable({}, mt)
print(a == b, rawequal(a, b))
--## __index on numbers errors
print(pcall(function() local n = 5 return n.x end))
--## __newindex chain to table with __newindex
local inner = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, "inner:" .. v) end})
local outer = setmetatable({}, {__newindex = inner})
outer.k = "v"
print(rawget(outer, "k"), rawget(inner, "k"))
--## __metatable field
local t = setmetatable({}, {__metatable = false})
print(getmetatable(t))
--## mixed number string compare error
print(pcall(function() return 1 < "2" end))
print(pcall(function() return {} <= {} end))
print(pcall(function() return nil > 1 end))
