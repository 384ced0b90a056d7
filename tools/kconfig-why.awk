# tools/kconfig-why.awk: which "depends on" expressions of a Kconfig entry
# are false in a .config, and why (tools/buildlib.sh, lib_fragment_why).
#
#   awk -f tools/kconfig-why.awk CONFIG DEPENDS
#
# CONFIG is a .config; DEPENDS holds one expression a line (what follows
# "depends on"). For each expression that is false, one line: the
# expression, a tab, then the symbols that make it false, e.g.
# "PCI && (!SPARC32 || BROKEN)<TAB>CONFIG_PCI is off". Values are Kconfig's
# tristate: y 2, m 1, off 0; && is the minimum, || the maximum, ! is 2 - x.

FNR == NR {
	if (match($0, /^CONFIG_[A-Za-z0-9_]+=/)) {
		name = substr($0, 8, RLENGTH - 8)
		val[name] = substr($0, RLENGTH + 1)
		gsub(/^"|"$/, "", val[name])
	}
	next
}
{
	line = $0
	ntok = 0
	s = line
	while (s != "") {
		if (match(s, /^[ \t]+/)) { s = substr(s, RLENGTH + 1); continue }
		if (match(s, /^(&&|\|\||!=|<=|>=|[!()=<>])/) ||
		    match(s, /^"[^"]*"/) || match(s, /^[A-Za-z0-9_]+/)) {
			tok[++ntok] = substr(s, 1, RLENGTH)
			s = substr(s, RLENGTH + 1)
			continue
		}
		s = substr(s, 2)   # something unknown: skip it
	}
	pos = 1
	nn = 0
	root = parse_or()
	if (value(root) == 0)
		printf "%s\t%s\n", line, join(why(root, 0))
}

function parse_or(   l, r, n) {
	l = parse_and()
	while (tok[pos] == "||") {
		pos++
		r = parse_and()
		n = ++nn; T[n] = "or"; A[n] = l; B[n] = r; l = n
	}
	return l
}
function parse_and(   l, r, n) {
	l = parse_unary()
	while (tok[pos] == "&&") {
		pos++
		r = parse_unary()
		n = ++nn; T[n] = "and"; A[n] = l; B[n] = r; l = n
	}
	return l
}
function parse_unary(   n, e) {
	if (tok[pos] == "!") {
		pos++
		n = ++nn; T[n] = "not"; A[n] = parse_unary()
		return n
	}
	if (tok[pos] == "(") {
		pos++
		e = parse_or()
		if (tok[pos] == ")")
			pos++
		return e
	}
	n = ++nn; T[n] = "sym"; S[n] = tok[pos++]
	if (tok[pos] ~ /^(=|!=|<|>|<=|>=)$/) {
		T[n] = "cmp"; OP[n] = tok[pos++]; V[n] = tok[pos++]
		gsub(/^"|"$/, "", V[n])
	}
	return n
}
# The value of a symbol or constant, as Kconfig has it.
function raw(x) {
	if (x == "y" || x == "m" || x == "n")
		return x
	if (x ~ /^[0-9]/)
		return x
	return (x in val) ? val[x] : "n"
}
function tri(x,   r) {
	r = raw(x)
	return r == "y" ? 2 : r == "m" ? 1 : 0
}
function value(n,   a, b) {
	if (T[n] == "or") { a = value(A[n]); b = value(B[n]); return a > b ? a : b }
	if (T[n] == "and") { a = value(A[n]); b = value(B[n]); return a < b ? a : b }
	if (T[n] == "not") return 2 - value(A[n])
	if (T[n] == "cmp") {
		a = raw(S[n]); b = raw(V[n])
		if (OP[n] == "=") return a == b ? 2 : 0
		if (OP[n] == "!=") return a != b ? 2 : 0
		if (OP[n] == "<") return a + 0 < b + 0 ? 2 : 0
		if (OP[n] == ">") return a + 0 > b + 0 ? 2 : 0
		if (OP[n] == "<=") return a + 0 <= b + 0 ? 2 : 0
		return a + 0 >= b + 0 ? 2 : 0
	}
	return tri(S[n])
}
# What makes node n false (want 0) or true (want 2): its symbols, as words.
function why(n, want,   a, b) {
	if (T[n] == "not")
		return why(A[n], 2 - want)
	if (T[n] == "or" || T[n] == "and") {
		# false "or" / true "and": every side; else the sides that decide.
		if ((T[n] == "or") == (want == 0))
			return why(A[n], want) "\n" why(B[n], want)
		a = value(A[n]) == want ? why(A[n], want) : ""
		b = value(B[n]) == want ? why(B[n], want) : ""
		return a "\n" b
	}
	if (T[n] == "cmp")
		return "CONFIG_" S[n] " is " (raw(S[n]) == "n" ? "off" : raw(S[n]))
	if (S[n] ~ /^[ymn]$/)
		return ""
	return "CONFIG_" S[n] " is " (tri(S[n]) == 0 ? "off" : raw(S[n]))
}
function join(s,   parts, k, i, out, seen) {
	k = split(s, parts, "\n")
	out = ""
	for (i = 1; i <= k; i++) {
		if (parts[i] == "" || parts[i] in seen)
			continue
		seen[parts[i]] = 1
		out = out (out == "" ? "" : ", ") parts[i]
	}
	return out
}
