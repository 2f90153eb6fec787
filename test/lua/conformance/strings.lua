--## len sub
print(#"hello", string.len(""), ("abc"):len())
print(("hello"):sub(2, 3), ("hello"):sub(-3), ("hello"):sub(2), ("hello"):sub(0), ("hello"):sub(10), ("hello"):sub(3, 2))
--## upper lower rep reverse
print(("Hello World"):upper(), ("Hello World"):lower(), ("ab"):rep(3), ("ab"):rep(0), ("abc"):reverse())
--## byte char
print(string.byte("ABC"), string.byte("ABC", 2), string.byte("ABC", 1, 3), string.byte("ABC", -1))
print(string.char(72, 105), string.char())
print(pcall(string.char, 256))
--## find plain and pattern
print(string.find("hello world", "wor"), string.find("hello", "l+"), string.find("a.b", ".", 1, true))
print(string.find("hello", "xyz"), string.find("hello", ""), string.find("hello", "", 10))
print(string.find("hello", "l", -2), string.find("abc", "(b)(c)"))
--## match captures
print(string.match("key=value", "(%w+)=(%w+)"))
print(string.match("  trim  ", "^%s*(.-)%s*$"))
print(string.match("abc", "()b()"))
print(string.match("2024-01-15", "(%d+)-(%d+)-(%d+)"))
--## match anchors
print(string.match("hello", "^h"), string.match("hello", "^e"), string.match("hello", "o$"), string.match("a$b", "$b"))
--## classes
print(string.match("abc123", "%a+"), string.match("abc123", "%d+"), string.match("a b", "%s"), string.match("x!y", "%p"))
print(string.match("ABCdef", "%u+"), string.match("ABCdef", "%l+"), string.match("a_1", "%w+"), string.match("ff0G", "%x+"))
print(string.match("abc", "%A"), string.match("abc1", "%D+"))
--## sets
print(string.match("hello123", "[a-z]+"), string.match("hello123", "[^a-z]+"), string.match("a-b", "[%-]"), string.match("x]y", "[]]"))
print(string.match("abc", "[b-]"))
--## quantifiers
print(string.match("aaa", "a-"), string.match("aaa", "a-$"), string.match("aaab", "a*b"), string.match("b", "a?b"), string.match("ab", "a+b"))
--## balanced and frontier
print(string.match("f(a(b)c)d", "%b()"), string.find("THE (quick) fox", "%f[%a]%a+%f[%A]"))
print(string.gsub("hello world from lua", "%f[%w]%w+", string.upper))
--## back references
print(string.match('say "hi" now', '(["\'])(.-)%1'))
print(string.find("abcabc", "(abc)%1"))
--## gmatch
for w in string.gmatch("one two three", "%a+") do io = nil; print(w) end
for k, v in string.gmatch("a=1, b=2", "(%w+)=(%w+)") do print(k, v) end
--## gmatch empty matches
local n = 0
for m in string.gmatch("abc", "x*") do n = n + 1 end
print(n)
--## gsub string repl
print(string.gsub("hello world", "o", "0"))
print(string.gsub("hello world", "(o)", "[%1]"))
print(string.gsub("hello", "", "-"))
print(string.gsub("abc", "%w", "%0%0"))
print(string.gsub("abc", "b", "%%"))
--## gsub max n and anchor
print(string.gsub("aaaa", "a", "b", 2))
print(string.gsub("aaaa", "^a", "b"))
--## gsub function and table
print(string.gsub("$name is $age", "%$(%w+)", {name = "Bob", age = 42}))
print(string.gsub("1 2 3", "%d", function(d) return d * 2 end))
print(string.gsub("abc", "%w", function(c) if c == "b" then return nil end return c:upper() end))
--## gsub errors
print(pcall(string.gsub, "abc", "b", true))
print(pcall(string.gsub, "abc", "(b)", "%2"))
print(pcall(string.gsub, "abc", "b", function() return {} end))
--## pattern errors
print(pcall(string.find, "a", "%"))
print(pcall(string.find, "a", "[a"))
print(pcall(string.find, "a", "(a"))
print(pcall(string.find, "a", "a)"))
print(pcall(string.find, "a", "%f"))
print(pcall(string.match, "a", "%1"))
--## string methods via metatable
local s = "test"
print(s:upper(), ("%d"):format(5), s:byte(1), #s)
--## string coercion arithmetic
print("10" + 1, "3" * "4", "2" ^ 2, 10 .. 20, "0x1A" + 0, "1e1" * 1)
print(pcall(function() return "abc" + 1 end))
--## string comparison
print("a" < "b", "abc" < "abd", "" < "a", "Z" < "a", "a" <= "a", "b" > "a")
--## concat numbers
print(1 .. "", 1.5 .. "x", -0.0 .. "", 2^63 .. "", 1e100 .. "")
--## escapes
print("a\tb\\n", "\65\066\0671", "x\
y", 'q"q', "\"")
print(#"\0abc", ("\0x"):byte(1))
--## long strings
print([[line1
line2]], [==[a]]b]==], #[[
x]])
--## tostring of string with embedded zero
local s = "a\0b"
print(#s, s:len(), s:byte(2))
--## string.rep large count small
print(#string.rep("abc", 1000))
--## string.format basic
print(string.format("%d %s %q", 42, "str", "q\"uote"))
print(string.format("%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42))
print(string.format("%x %X %o %#x %#o", 255, 255, 8, 255, 8))
--## string.format floats
print(string.format("%f %.2f %10.3f %-10.1f|", 3.14159, 3.14159, 3.14159, 3.14159))
print(string.format("%e %.3e %E", 12345.6789, 0.00012345, 1e300))
print(string.format("%g %g %g %g %g", 100000, 1000000, 1e-5, 0.0001, 123.456))
print(string.format("%.3g %.10g %#g %G", 1234.5, 1/3, 1.0, 1e-20))
--## string.format strings
print(string.format("[%10s][%-10s][%.2s]", "hi", "hi", "hello"))
print(string.format("%s %s %s", 1, 1.5, "x"))
print(string.format("%c%c%c", 76, 117, 97))
print(string.format("%%"))
--## string.format q escapes
print(string.format("%q", "a\nb\r\0c\\"))
--## string.format d truncation
print(string.format("%d", 3.99), string.format("%d", -3.99), string.format("%d", 2^31), string.format("%d", "12"))
--## string.format errors
print(pcall(string.format, "%d", "x"))
print(pcall(string.format, "%d"))
print(pcall(string.format, "%z", 1))
print(pcall(string.format, "%123d", 1))
print(pcall(string.format, "%------d", 1))
--## string.format inf nan
print(string.format("%f %g %e", 1/0, -1/0, 1/0))
print(string.format("%5.1f|%-8g|", 1/0, -1/0))
--## string.format s with long string
print(#string.format("%s", string.rep("x", 200)))
--## string.dump errors
print(pcall(string.dump, print))
--## sub with floats
print(("hello"):sub(2.7, 4.2))
--## upper non-ascii untouched
print(("caf\233"):upper() == "CAF\233")
