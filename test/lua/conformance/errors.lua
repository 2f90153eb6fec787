--## call nil global
print(pcall(function() undefinedfn() end))
--## call nil local field method upvalue
local t = {}
print(pcall(function() local f f() end))
print(pcall(function() t.nofield() end))
print(pcall(function() t:nomethod() end))
local up
print(pcall(function() up() end))
--## index errors
print(pcall(function() local x x.y = 1 end))
print(pcall(function() local s = 5 return s.field end))
print(pcall(function() return t.a.b end))
print(pcall(function() return glob.x end))
print(pcall(function() return up.x end))
print(pcall(function() return t[1][2] end))
--## arithmetic errors
print(pcall(function() local s = "abc" return s + 1 end))
print(pcall(function() return t.x * 2 end))
print(pcall(function() return 2 - up end))
print(pcall(function() return {} / 2 end))
print(pcall(function() return -t end))
print(pcall(function() return 1 + glob end))
--## concat errors
print(pcall(function() local s = {} return "a" .. s end))
print(pcall(function() return t.x .. "a" end))
print(pcall(function() return "a" .. up .. "b" end))
print(pcall(function() return 1 .. true end))
--## length errors
print(pcall(function() local n = 5 return #n end))
print(pcall(function() return #up end))
--## compare errors
print(pcall(function() return 1 < nil end))
print(pcall(function() return "a" < 1 end))
print(pcall(function() return {} < 1 end))
print(pcall(function() return true <= false end))
print(pcall(function() return print < print end))
--## error positions multi line
local function f()
  local a = 1
  local b = nil
  return a + b
end
print(pcall(f))
--## bad argument messages
print(pcall(function() string.rep() end))
print(pcall(function() ("x"):rep() end))
print(pcall(function() local s = string.sub s() end))
print(pcall(function() math.floor({}) end))
print(pcall(function() table.concat(1) end))
print(pcall(function() setmetatable(1) end))
print(pcall(function() ipairs() end))
print(pcall(function() ("x"):bad() end))
--## calling through pcall directly has no position
print(pcall(string.rep))
print(pcall(math.floor))
print(pcall(setmetatable))
--## error objects pass through
local e = {}
local ok, got = pcall(error, e)
print(got == e)
local ok, got = pcall(function() error(e) end)
print(got == e)
--## error with level 2 from helper
local function check(x) if type(x) ~= "number" then error("expected number", 2) end return x end
local function user() return check("s") end
print(pcall(user))
--## error rethrow keeps message
local ok, e = pcall(function()
  local ok2, e2 = pcall(error, "first")
  error(e2, 0)
end)
print(ok, e)
--## tostring of error number
print(pcall(function() error(3.5) end))
--## runtime error inside xpcall handler receives message
print(xpcall(function() local x = nil; return x.y end, function(m) return "H:" .. m end))
--## error in error handler
print(xpcall(function() error("a") end, function(m) error("b") end))
--## nested function names in errors
local M = {}
function M.run() local obj = {} return obj.missing.field end
print(pcall(M.run))
--## assert messages
print(pcall(function() assert(1 == 2, "math broke") end))
print(pcall(function() assert(nil) end))
print(pcall(function() assert(false, 42) end))
--## table index nil
print(pcall(function() local t = {} t[nil] = 1 end))
print(pcall(function() local t = {[1] = 1} return t[nil] end))
--## unpack too many
print(pcall(unpack, {}, 1, 1e6))
--## tostring nil error
print(pcall(tostring))
--## for loop variable errors with lines
print(pcall(function()
  local lim = "x"
  for i = 1, lim do end
end))
--## string to number failure in for
print(pcall(function() for i = 1, "10" do end return "ok" end))
