--## syntax errors via loadstring
local cases = {
  "x", "x = ", "x = 'abc", "x = 'abc\n'", "x = [[abc", "f(\n)\n(g)()", "if x then", "if x then\n\n",
  "x = 3x", "x = 1 + + 2", "local function() end", "break", "return return", "x = {1,2",
  "function f(a,1) end", "for i=1 do end", "goto x", "x = 1 // 2", "x = 1 & 2", "x = '\\300'",
  "function f() return ... end", "x.y:z = 1", "(a) = 1", "a.b:c() = 1", "x = }", "x = ~1", "x = #",
  "x = [==[ ]=]", "--[[ xx", "x = 1e", "x = 0x", "x = 0xg", "x = 1..2", "x = @", "a,b", "local a.b = 1",
  "x = [[\na]] + ", "for a,b,c = 1 do end", "for a.b = 1 do end", "while true do", "x = 'a\\z'",
  "x = 1 y = 2", "x = 1 \n\n y", "local t = {} t.x.y z", "return 1,", "f(,)", "x = (1", "x = a[1",
  "local 1 = 2", "x = function", "repeat x = 1", "do end end", "x = 1 1", "local x <const> = 1",
  "x = a and or b", "x = ...", "::label::", "x = 5 % ", "x = not", "else", "until x", "x = {[1] 2}",
  "local function f() return end x", "return;", "return 1; x = 2", "f() = 1", "x, y() = 1, 2",
  "x = \"\\400\"", "x = 'a\nb'", "x = 1 == == 2", "local a, = 1", "function a:b:c() end",
  "x = {a = }", "if x then else elseif y then end", "x = 0x1p4", "for i = 1, 2, 3, 4 do end",
  "x = y ? 1 : 2", "x = a.1", "x = 1e+", "x = .e1", "x = \"abc\\", "return -", "x = 1 ~= ",
}
for i, c in ipairs(cases) do
  local f, err = loadstring(c, "=input")
  print(i, f and "ok" or err)
end
--## runtime chunk compile and run
local f = assert(loadstring("local a = {...} return #a, ..."))
print(f(1, 2, 3))
--## comments
-- single line
--[[ multi
line ]] print("after comment")
--[==[ long
]==] print("after long comment")
--## numeric literal edge
print(0xA, 1e0, 0.5e1, 3 .. "")
--## nested long strings
print([==[a]]b]=]c]==])
--## keywords as fields
local t = {}
t["end"] = 1
print(t["end"], t["and"])
--## shebang not allowed in loadstring
print(loadstring("#!/bin/lua\nreturn 1"))
