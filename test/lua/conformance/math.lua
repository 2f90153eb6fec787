--## arithmetic basics
print(1 + 2, 5 - 3, 4 * 2.5, 7 / 2, 7 % 3, 2 ^ 10, -7 % 3, 7 % -3, -7 % -3)
--## float modulo and division
print(5.5 % 2, -5.5 % 2, 1 / 0, -1 / 0, 0 / 1, 10 / 4)
--## precedence
print(2 + 3 * 4, (2 + 3) * 4, 2 ^ 3 ^ 2, -2 ^ 2, not nil == true, 1 .. 2 .. 3)
--## comparisons
print(1 < 2, 2 <= 2, 3 > 4, 1 == 1.0, "1" == 1, 1 ~= 2)
--## math functions
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.ceil(-3.5), math.abs(-4))
print(math.max(1, 5, 3), math.min(4, 2, 8), math.sqrt(16), math.pow(2, 8), math.exp(0), math.log(1))
print(math.log10(1000), math.fmod(7, 3), math.fmod(-7, 3), math.mod(7, 3))
--## modf frexp ldexp
print(math.modf(3.7), math.modf(-3.7), math.modf(5))
print(math.frexp(8), math.frexp(0.5), math.frexp(0), math.ldexp(0.5, 4))
--## trig
print(math.sin(0), math.cos(0), math.tan(0), math.deg(math.pi), math.rad(180) == math.pi)
print(string.format("%.6f %.6f %.6f", math.asin(1), math.acos(0), math.atan(1)))
print(string.format("%.6f %.6f", math.atan2(1, 1), math.atan2(-1, -1)))
print(string.format("%.6f %.6f %.6f", math.sinh(1), math.cosh(1), math.tanh(1)))
--## constants
print(math.pi, math.huge, -math.huge)
--## math errors
print(pcall(math.floor, "x"))
print(pcall(math.max))
print(math.floor("3.5"))
--## random range checks
math.randomseed(42)
local ok = true
for i = 1, 100 do
  local r = math.random(1, 6) if r < 1 or r > 6 or r ~= math.floor(r) then ok = false end
  local f = math.random() if f < 0 or f >= 1 then ok = false end
  local u = math.random(3) if u < 1 or u > 3 then ok = false end
end
print(ok)
print(pcall(math.random, 2, 1))
print(pcall(math.random, 0))
print(pcall(math.random, 1, 2, 3))
--## number formatting
print(100, 100.0, 1e15, 1e16, 123456789012345, 0.1, 1/3, 2^53, 2^63, -1.5)
print(1e-5, 123e-7, 5e-324, 1.7976931348623157e308)
--## integer division emulation
print(math.floor(7 / 2), math.floor(-7 / 2))
--## numeric for float steps
for i = 0, 1, 0.25 do io = nil print(i) end
for i = 1, 0, -0.5 do print(i) end
--## numeric for edge cases
for i = 1, 0 do print("never") end
for i = 3, 3 do print("once", i) end
local n = 0 for i = 0.1, 1, 0.1 do n = n + 1 end print(n)
--## for with string bounds
for i = "1", "3" do print(i, type(i)) end
--## for errors
print(pcall(function() for i = "a", 2 do end end))
print(pcall(function() for i = 1, {} do end end))
print(pcall(function() for i = 1, 2, nil do end end))
--## for loop variable is local copy
local t = {}
for i = 1, 3 do t[i] = function() return i end end
print(t[1](), t[2](), t[3]())
--## hex literals
print(0x10, 0xff, 0XA, 0x7fffffff)
--## number literal forms
print(1e2, 1E-2, .5, 5., 3.0)
--## unary minus on strings
print(-"2", -"-3")
print(pcall(function() return -{} end))
--## huge values
print(2^1024, -2^1024, math.huge == 1/0)
--## tostring of large integers
print(2^31, 2^32, 2^52, 10^15, 10^14, 99999999999999)
