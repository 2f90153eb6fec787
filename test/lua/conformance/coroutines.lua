--## basic resume yield
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 3, 4))
print(coroutine.resume(co))
print(coroutine.status(co))
--## status transitions
local co
co = coroutine.create(function() print(coroutine.status(co)) coroutine.yield() end)
print(coroutine.status(co))
coroutine.resume(co)
print(coroutine.status(co))
coroutine.resume(co)
print(coroutine.status(co))
--## wrap generator
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
for i in range(4) do print(i) end
--## error inside coroutine
local co = coroutine.create(function() error("oops") end)
print(coroutine.resume(co))
print(coroutine.status(co))
--## error with table value in coroutine
local co = coroutine.create(function() error({msg = "t"}) end)
local ok, e = coroutine.resume(co)
print(ok, type(e), e.msg)
--## wrap propagates errors
local f = coroutine.wrap(function() error("wrapped") end)
print(pcall(f))
--## resume dead
local co = coroutine.create(function() end)
coroutine.resume(co)
print(coroutine.resume(co))
--## wrap dead
local f = coroutine.wrap(function() end)
f()
print(pcall(f))
--## running
print(coroutine.running())
local co = coroutine.create(function() print(type(coroutine.running())) end)
coroutine.resume(co)
--## yield outside coroutine
print(pcall(coroutine.yield, 1))
--## nested coroutines
local inner = coroutine.create(function() coroutine.yield("inner1") return "inner done" end)
local outer = coroutine.create(function()
  print("outer got", coroutine.resume(inner))
  coroutine.yield("outer1")
  print("outer got", coroutine.resume(inner))
end)
print(coroutine.resume(outer))
print(coroutine.resume(outer))
print(coroutine.status(inner), coroutine.status(outer))
--## resume non-suspended
local co
co = coroutine.create(function() return coroutine.resume(co) end)
print(coroutine.resume(co))
--## yield across pcall is an error in 5.1
local co = coroutine.create(function() return pcall(coroutine.yield, 1) end)
print(coroutine.resume(co))
--## yield inside pcall function
local co = coroutine.create(function()
  local ok, err = pcall(function() coroutine.yield(1) end)
  return ok, err
end)
print(coroutine.resume(co))
--## create errors
print(pcall(coroutine.create, 1))
print(pcall(coroutine.create, print))
print(pcall(coroutine.resume, 1))
--## producer consumer
local producer = coroutine.create(function()
  for _, v in ipairs({"a", "b", "c"}) do coroutine.yield(v) end
  return nil
end)
local out = {}
while true do
  local ok, v = coroutine.resume(producer)
  if not v then break end
  out[#out + 1] = v
end
print(table.concat(out), coroutine.status(producer))
--## pass values through many yields
local co = coroutine.wrap(function(x)
  while true do x = coroutine.yield(x * 2) end
end)
print(co(1), co(2), co(3))
--## yield multiple values
local co = coroutine.create(function() coroutine.yield(1, 2, 3) coroutine.yield() end)
print(coroutine.resume(co))
print(coroutine.resume(co))
print(select("#", coroutine.resume(co)))
--## coroutine error position
local co = coroutine.create(function()
  local t = nil
  return t.x
end)
print(coroutine.resume(co))
--## wrap error adds position
local f = coroutine.wrap(function() error("e1") end)
local ok, e = pcall(function() f() end)
print(ok, e)
--## sort inside coroutine
local co = coroutine.create(function()
  local t = {3, 1, 2}
  table.sort(t, function(a, b) return a < b end)
  coroutine.yield(table.concat(t))
end)
print(coroutine.resume(co))
--## yield from sort comparator fails
local co = coroutine.create(function()
  table.sort({3, 1, 2}, function(a, b) coroutine.yield() return a < b end)
end)
print(coroutine.resume(co))
