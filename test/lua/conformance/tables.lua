--## length of sequences
print(#{}, #{1, 2, 3}, #{1, 2, nil}, #{nil, nil, 3}, #{1, nil, 3})
--## length after removals
local t = {} for i = 1, 10 do t[i] = i end
t[10] = nil print(#t)
t[9] = nil print(#t)
--## table.insert append and middle
local t = {1, 2, 3}
table.insert(t, 4)
table.insert(t, 1, 0)
table.insert(t, 3, "x")
print(table.concat(t, ","))
--## table.insert errors
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, {}))
--## table.remove
local t = {1, 2, 3, 4}
print(table.remove(t), table.concat(t, ","))
print(table.remove(t, 1), table.concat(t, ","))
print(table.remove({}), select("#", table.remove({})))
print(table.remove(t, 5))
--## table.concat
print(table.concat({1, 2, 3}), table.concat({"a", "b"}, ", "), table.concat({1, 2, 3, 4}, "-", 2, 3), table.concat({}, "x"))
print(pcall(table.concat, {1, {}, 3}))
print(table.concat({1.5, 2}, " "))
--## table.maxn getn
print(table.maxn({1, 2, [10] = 3}), table.maxn({}), table.getn({1, 2, 3}), table.maxn({[1.5] = 1}))
print(pcall(table.setn, {}, 1))
--## sort numbers
local t = {5, 2, 8, 1, 9, 3}
table.sort(t)
print(table.concat(t, " "))
--## sort strings and comparator
local t = {"banana", "apple", "cherry"}
table.sort(t)
print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, " "))
--## sort with duplicates and records
local t = {}
for i = 1, 20 do t[i] = {k = (i * 7) % 5, i = i} end
table.sort(t, function(a, b) return a.k < b.k end)
local out = {}
for i, v in ipairs(t) do out[i] = v.k .. ":" .. v.i end
print(table.concat(out, " "))
--## sort larger
local t = {}
local x = 1
for i = 1, 100 do x = (x * 31 + 7) % 101 t[i] = x end
table.sort(t)
print(t[1], t[50], t[100])
--## sort errors
print(pcall(table.sort, {3, "a", 1}))
print(pcall(table.sort, {1, 2, 3}, 1))
--## sort invalid order function
local t = {}
for i = 1, 50 do t[i] = i % 7 end
print(pcall(table.sort, t, function(a, b) return true end))
--## foreach foreachi
table.foreachi({"a", "b"}, print)
print(table.foreach({x = 1}, function(k, v) return k .. v end))
--## nested tables and constructors
local t = {1, 2, {3, 4, {5}}, x = {y = {z = "deep"}}}
print(t[3][3][1], t.x.y.z, #t, #t[3])
--## constructor with varargs
local function f(...) return {...} end
local t = f(1, nil, 3)
print(#t, t[1], t[3])
local function g() return 1, 2, 3 end
local t2 = {g(), g()}
print(#t2, table.concat(t2, ","))
local t3 = {g(), (g())}
print(#t3)
--## table keys types
local t = {}
t[1] = "int" t[1.0] = "float one" t["1"] = "string"
t[true] = "bool"
print(t[1], t["1"], t[true], t[2^53])
--## nil and nan keys
print(pcall(function() local t = {} t[nil] = 1 end))
print(pcall(function() local t = {} t[0/0] = 1 end))
print(({})[nil])
--## table identity
local a, b = {}, {}
print(a == b, a == a, a ~= b)
--## big array
local t = {}
for i = 1, 1000 do t[#t + 1] = i end
print(#t, t[500])
--## unpack table shapes
print(unpack({1, 2, 3, [5] = 5}))
--## table.insert at end+1 position
local t = {1, 2}
table.insert(t, 3, "c")
print(table.concat(t, ","))
--## negative and zero keys
local t = {[0] = "zero", [-1] = "neg"}
print(t[0], t[-1], #t)
--## next after modification during traversal
local t = {a = 1, b = 2, c = 3}
local n = 0
for k in pairs(t) do t[k] = nil n = n + 1 end
print(n, next(t))
--## ipairs on proxy does not use __index
local t = setmetatable({}, {__index = function(_, i) if i < 3 then return i end end})
local c = 0
for i, v in ipairs(t) do c = c + 1 end
print(c, t[1], t[2])
