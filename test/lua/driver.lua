-- Conformance driver: runs each program of CODE (separated by "--## name" lines) in a fresh
-- environment, with chunk name "input", printing "==== name" before each and any uncaught error.
local code = CODE
local starts = {}
local i = 1
while true do
  local s, e, name = string.find(code, "%-%-## ([^\n]*)\n", i)
  if not s then break end
  starts[#starts + 1] = { s, e, name }
  i = e + 1
end
for k, st in ipairs(starts) do
  local stop = starts[k + 1] and starts[k + 1][1] - 1 or #code
  local src = string.sub(code, st[2] + 1, stop)
  print("==== " .. st[3])
  local f, err = loadstring(src, "=input")
  if not f then
    print("syntax: " .. err)
  else
    setfenv(f, setmetatable({}, { __index = _G }))
    local ok, e = pcall(f)
    if not ok then print("error: " .. tostring(e)) end
  end
end
