--## counter closure
local function counter()
  local n = 0
  return function() n = n + 1 return n end
end
local c1, c2 = counter(), counter()
print(c1(), c1(), c1(), c2())
--## shared upvalue
local function pair()
  local v = 0
  return function() v = v + 1 end, function() return v end
end
local inc, get = pair()
inc() inc()
print(get())
--## loop closures capture per iteration
local fs = {}
for i = 1, 3 do local j = i * 10 fs[i] = function() return i, j end end
print(fs[1]()) print(fs[3]())
--## while loop closures
local fs = {}
local i = 1
while i <= 3 do local k = i fs[i] = function() return k end i = i + 1 end
print(fs[1](), fs[2](), fs[3]())
--## generic for closures
local fs = {}
for k, v in ipairs({"a", "b"}) do fs[k] = function() return k .. v end end
print(fs[1](), fs[2]())
--## nested upvalues
local function outer()
  local x = 1
  return function()
    local y = 2
    return function() x = x + 1 return x + y end
  end
end
local f = outer()()
print(f(), f())
--## recursive local function
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(10), fact(20))
--## mutual recursion via locals
local isodd
local function iseven(n) if n == 0 then return true end return isodd(n - 1) end
function isodd(n) if n == 0 then return false end return iseven(n - 1) end
print(iseven(10), isodd(7))
--## varargs basics
local function f(...) return select("#", ...), ... end
print(f())
print(f(nil))
print(f(1, nil, 3))
--## varargs in table and unpack
local function pack(...) return {n = select("#", ...), ...} end
local t = pack(1, 2, nil)
print(t.n, #t)
--## vararg adjust
local function three() return 1, 2, 3 end
local a, b, c, d = three()
print(a, b, c, d)
local x, y = three(), 10
print(x, y)
print((three()))
print(three(), three())
--## multiple assignment evaluation order
local a, b, c = 1
print(a, b, c)
local i = 1
local t = {}
i, t[i] = i + 1, 20
print(i, t[1], t[2])
local x, y = 1, 2
x, y = y, x
print(x, y)
--## method call syntax
local obj = {v = 5}
function obj:get(a) return self.v + (a or 0) end
function obj.static(a) return a end
print(obj:get(), obj:get(1), obj.get(obj, 2), obj.static(3))
--## string call syntax
local function id(x) return x end
print(id"str", id[[long]], type(id{1}))
--## tail calls deep
local function loop(n) if n == 0 then return "done" end return loop(n - 1) end
print(loop(100000))
--## deep recursion non-tail
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(5000))
--## stack overflow
local function inf(n) return 1 + inf(n) end
local ok, e = pcall(inf, 1)
print(ok, e)
--## functions as values
local ops = {add = function(a, b) return a + b end, mul = function(a, b) return a * b end}
print(ops.add(2, 3), ops["mul"](2, 3))
--## do blocks and shadowing
local x = 1
do local x = 2 print(x) end
print(x)
local x = x + 10
print(x)
--## repeat until scope
local i = 0
repeat local j = i i = i + 1 until j >= 3
print(i)
--## break in loops
for i = 1, 10 do if i == 3 then break end print(i) end
local n = 0
while true do n = n + 1 if n > 4 then break end end
print(n)
--## nested break
for i = 1, 2 do
  for j = 1, 10 do if j > 2 then break end print(i, j) end
end
--## if elseif chains
local function cls(n)
  if n < 0 then return "neg" elseif n == 0 then return "zero" elseif n < 10 then return "small" else return "big" end
end
print(cls(-1), cls(0), cls(5), cls(50))
--## and or values
print(nil or "default", false and "x", 1 and 2, nil and 1, false or nil, 0 or 1, "" and "empty-is-true")
--## not
print(not nil, not 0, not "", not not nil)
--## closures over parameters
local function mk(a) return function() a = a + 1 return a end end
local f = mk(10)
print(f(), f())
--## upvalue in vararg function
local function v(...)
  local args = {...}
  return function() return #args end
end
print(v(1, 2, 3)())
--## semicolons and empty statements
local a = 1; local b = 2;
print(a + b);
--## long function chains
local s = ("a,b,c"):gsub(",", ";"):upper()
print(s)
--## global functions and table fields
function globalf() return "g" end
local t = {} function t.f() return "tf" end
local u = {v = {}} function u.v.w() return "uvw" end
print(globalf(), t.f(), u.v.w())
