package expr

import (
	"fmt"
	"strings"
)

type opcode uint8

const (
	opLit opcode = iota
	opIdent
	opCall
	opDefined
	opCast
	opNeg
	opPlus
	opCompl
	opNot
	opMul
	opDiv
	opRem
	opAdd
	opSub
	opShl
	opShr
	opLt
	opLe
	opGt
	opGe
	opEq
	opNe
	opAnd
	opXor
	opOr
	opLogAnd
	opLogOr
	opCond
)

type node struct {
	op   opcode
	pos  int
	name string  // opIdent, opCall, opDefined
	lit  literal // opLit
	cast castType
	kids []*node
}

// literal keeps what decides a C integer literal's type, which differs
// between C code and #if conditions.
type literal struct {
	bits     uint64
	decimal  bool
	unsigned bool // U suffix
	long     bool // L or LL suffix
}

// castType is an integer type named in a cast.
type castType struct {
	bits   uint8 // 8, 16, 32 or 64
	signed bool
}

// typeNames are the type names a cast may use: the PSA types of the
// Crypto API (with Mbed TLS's choice for psa_key_bits_t) and the C
// fixed-width and standard types. Multi-word C types are parsed from
// keywords, see parseKeywordType.
var typeNames = map[string]castType{
	"psa_algorithm_t":           {32, false},
	"psa_key_type_t":            {16, false},
	"psa_ecc_family_t":          {8, false},
	"psa_dh_family_t":           {8, false},
	"psa_slh_dsa_family_t":      {8, false},
	"psa_key_usage_t":           {32, false},
	"psa_key_lifetime_t":        {32, false},
	"psa_key_persistence_t":     {8, false},
	"psa_key_location_t":        {32, false},
	"psa_key_id_t":              {32, false},
	"psa_key_bits_t":            {16, false},
	"psa_status_t":              {32, true},
	"psa_key_derivation_step_t": {16, false},
	"psa_pake_primitive_t":      {32, false},
	"psa_pake_primitive_type_t": {8, false},
	"psa_pake_family_t":         {8, false},
	"psa_pake_role_t":           {8, false},
	"psa_pake_step_t":           {8, false},
	"mbedtls_mpi_sint":          {64, true},
	"size_t":                    {64, false},
	"ssize_t":                   {64, true},
	"intmax_t":                  {64, true},
	"uintmax_t":                 {64, false},
	"int8_t":                    {8, true},
	"int16_t":                   {16, true},
	"int32_t":                   {32, true},
	"int64_t":                   {64, true},
	"uint8_t":                   {8, false},
	"uint16_t":                  {16, false},
	"uint32_t":                  {32, false},
	"uint64_t":                  {64, false},
}

var typeKeywords = map[string]bool{
	"signed": true, "unsigned": true, "char": true, "short": true, "int": true, "long": true,
}

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 200

type parser struct {
	src   string
	pos   int // start of the current token
	end   int // end of the current token
	tok   string
	kind  tokKind
	depth int
}

type tokKind uint8

const (
	tkEOF tokKind = iota
	tkNum
	tkIdent
	tkOp
)

func (p *parser) errorf(pos int, format string, args ...any) error {
	return &SyntaxError{Src: p.src, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// describe names the current token for error messages.
func (p *parser) describe() string {
	if p.kind == tkEOF {
		return "end of expression"
	}
	return fmt.Sprintf("%q", p.tok)
}

var operators = []string{
	"<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"(", ")", ",", "+", "-", "*", "/", "%", "<", ">", "&", "^", "|", "!", "~", "?", ":",
}

// next advances to the next token.
func (p *parser) next() error {
	i := p.end
	for i < len(p.src) && isSpace(p.src[i]) {
		i++
	}
	p.pos = i
	if i == len(p.src) {
		p.kind, p.tok, p.end = tkEOF, "", i
		return nil
	}
	c := p.src[i]
	switch {
	case isDigit(c):
		// A C preprocessing number: digits, letters, underscores and dots.
		j := i + 1
		for j < len(p.src) && (isIdentChar(p.src[j]) || p.src[j] == '.') {
			j++
		}
		p.kind, p.tok, p.end = tkNum, p.src[i:j], j
		return nil
	case isIdentStart(c):
		j := i + 1
		for j < len(p.src) && isIdentChar(p.src[j]) {
			j++
		}
		p.kind, p.tok, p.end = tkIdent, p.src[i:j], j
		return nil
	}
	for _, op := range operators {
		if strings.HasPrefix(p.src[i:], op) {
			p.kind, p.tok, p.end = tkOp, op, i+len(op)
			return nil
		}
	}
	return p.errorf(i, "unexpected character %q: an expression has numbers, identifiers, parentheses and C operators", rune(c))
}

func (p *parser) is(op string) bool { return p.kind == tkOp && p.tok == op }

func (p *parser) expect(op, context string, open int) error {
	if !p.is(op) {
		return p.errorf(p.pos, "expected %q to close %s at column %d, found %s", op, context, open+1, p.describe())
	}
	return p.next()
}

func (p *parser) parse() (*node, error) {
	if err := p.next(); err != nil {
		return nil, err
	}
	if p.kind == tkEOF {
		return nil, p.errorf(0, "empty expression")
	}
	n, err := p.parseCond()
	if err != nil {
		return nil, err
	}
	if p.kind != tkEOF {
		return nil, p.errorf(p.pos, "unexpected %s after a complete expression: want an operator or the end", p.describe())
	}
	return n, nil
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.errorf(p.pos, "expression nested more than %d levels deep", maxDepth)
	}
	return nil
}

func (p *parser) parseCond() (*node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	c, err := p.parseBinary(0)
	if err != nil {
		return nil, err
	}
	if !p.is("?") {
		return c, nil
	}
	q := p.pos
	if err := p.next(); err != nil {
		return nil, err
	}
	a, err := p.parseCond()
	if err != nil {
		return nil, err
	}
	if err := p.expect(":", "'?'", q); err != nil {
		return nil, err
	}
	b, err := p.parseCond()
	if err != nil {
		return nil, err
	}
	return &node{op: opCond, pos: q, kids: []*node{c, a, b}}, nil
}

// binaryOps lists the binary operators by C precedence, loosest first.
var binaryOps = [][]struct {
	tok string
	op  opcode
}{
	{{"||", opLogOr}},
	{{"&&", opLogAnd}},
	{{"|", opOr}},
	{{"^", opXor}},
	{{"&", opAnd}},
	{{"==", opEq}, {"!=", opNe}},
	{{"<", opLt}, {"<=", opLe}, {">", opGt}, {">=", opGe}},
	{{"<<", opShl}, {">>", opShr}},
	{{"+", opAdd}, {"-", opSub}},
	{{"*", opMul}, {"/", opDiv}, {"%", opRem}},
}

// parseBinary parses a left-associative chain of operators of precedence
// level and tighter.
func (p *parser) parseBinary(level int) (*node, error) {
	if level == len(binaryOps) {
		return p.parseUnary()
	}
	left, err := p.parseBinary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		op, ok := p.binaryOp(level)
		if !ok {
			return left, nil
		}
		pos := p.pos
		if err := p.next(); err != nil {
			return nil, err
		}
		right, err := p.parseBinary(level + 1)
		if err != nil {
			return nil, err
		}
		left = &node{op: op, pos: pos, kids: []*node{left, right}}
	}
}

func (p *parser) binaryOp(level int) (opcode, bool) {
	if p.kind != tkOp {
		return 0, false
	}
	for _, o := range binaryOps[level] {
		if o.tok == p.tok {
			return o.op, true
		}
	}
	return 0, false
}

func (p *parser) parseUnary() (*node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	pos := p.pos
	var op opcode
	switch {
	case p.is("-"):
		op = opNeg
	case p.is("+"):
		op = opPlus
	case p.is("~"):
		op = opCompl
	case p.is("!"):
		op = opNot
	case p.is("("):
		return p.parseParenOrCast()
	default:
		return p.parsePrimary()
	}
	if err := p.next(); err != nil {
		return nil, err
	}
	x, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	return &node{op: op, pos: pos, kids: []*node{x}}, nil
}

// parseParenOrCast parses "(expr)" or "(type) unary", deciding by whether
// the first word inside the parentheses names a type.
func (p *parser) parseParenOrCast() (*node, error) {
	open := p.pos
	if err := p.next(); err != nil {
		return nil, err
	}
	if p.kind == tkIdent {
		ct, ok, err := p.parseTypeName()
		if err != nil {
			return nil, err
		}
		if ok {
			if err := p.expect(")", "the cast's '('", open); err != nil {
				return nil, err
			}
			x, err := p.parseUnary()
			if err != nil {
				return nil, err
			}
			return &node{op: opCast, pos: open, cast: ct, kids: []*node{x}}, nil
		}
	}
	x, err := p.parseCond()
	if err != nil {
		return nil, err
	}
	if err := p.expect(")", "'('", open); err != nil {
		return nil, err
	}
	return x, nil
}

// parseTypeName parses a type name if the current token starts one.
func (p *parser) parseTypeName() (castType, bool, error) {
	if ct, ok := typeNames[p.tok]; ok {
		return ct, true, p.next()
	}
	if !typeKeywords[p.tok] {
		return castType{}, false, nil
	}
	start := p.pos
	var words []string
	for p.kind == tkIdent && typeKeywords[p.tok] {
		words = append(words, p.tok)
		if err := p.next(); err != nil {
			return castType{}, false, err
		}
	}
	ct, ok := keywordType(words)
	if !ok {
		return castType{}, false, p.errorf(start, "%q is not a C integer type", strings.Join(words, " "))
	}
	return ct, true, nil
}

// keywordType gives the LP64 size of a type written with C keywords, such
// as "unsigned long long" or "short int".
func keywordType(words []string) (castType, bool) {
	var signed, unsigned, char, short, int_, long int
	for _, w := range words {
		switch w {
		case "signed":
			signed++
		case "unsigned":
			unsigned++
		case "char":
			char++
		case "short":
			short++
		case "int":
			int_++
		case "long":
			long++
		}
	}
	if signed+unsigned > 1 || char+short > 1 || int_ > 1 || long > 2 ||
		(char+short > 0 && long > 0) || (char > 0 && int_ > 0) {
		return castType{}, false
	}
	ct := castType{bits: 32, signed: unsigned == 0}
	switch {
	case char > 0:
		ct.bits = 8
	case short > 0:
		ct.bits = 16
	case long > 0:
		ct.bits = 64
	}
	return ct, true
}

func (p *parser) parsePrimary() (*node, error) {
	pos := p.pos
	switch p.kind {
	case tkNum:
		lit, err := parseLiteral(p.tok)
		if err != nil {
			return nil, p.errorf(pos, "%v", err)
		}
		return &node{op: opLit, pos: pos, lit: lit}, p.next()
	case tkIdent:
		name := p.tok
		if err := p.next(); err != nil {
			return nil, err
		}
		if name == "defined" {
			return p.parseDefined(pos)
		}
		if !p.is("(") {
			return &node{op: opIdent, pos: pos, name: name}, nil
		}
		return p.parseCall(name, pos)
	}
	return nil, p.errorf(pos, "expected an operand (a number, an identifier, '(' or a unary operator), found %s", p.describe())
}

// parseDefined parses the operand of the preprocessor's defined operator:
// "defined X" or "defined(X)".
func (p *parser) parseDefined(pos int) (*node, error) {
	paren := p.is("(")
	open := p.pos
	if paren {
		if err := p.next(); err != nil {
			return nil, err
		}
	}
	if p.kind != tkIdent {
		return nil, p.errorf(p.pos, "expected a macro name after defined, found %s", p.describe())
	}
	n := &node{op: opDefined, pos: pos, name: p.tok}
	if err := p.next(); err != nil {
		return nil, err
	}
	if paren {
		if err := p.expect(")", "defined's '('", open); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func (p *parser) parseCall(name string, pos int) (*node, error) {
	open := p.pos
	if err := p.next(); err != nil {
		return nil, err
	}
	n := &node{op: opCall, pos: pos, name: name}
	if p.is(")") {
		return n, p.next()
	}
	for {
		arg, err := p.parseCond()
		if err != nil {
			return nil, err
		}
		n.kids = append(n.kids, arg)
		if p.is(",") {
			if err := p.next(); err != nil {
				return nil, err
			}
			continue
		}
		if !p.is(")") {
			return nil, p.errorf(p.pos, "expected ',' or ')' in the arguments of %s( at column %d, found %s", name, open+1, p.describe())
		}
		return n, p.next()
	}
}

// parseLiteral parses a C integer literal with its suffix.
func parseLiteral(s string) (literal, error) {
	digits, base := s, uint64(10)
	switch {
	case len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		digits, base = s[2:], 16
	case s[0] == '0':
		base = 8
	}
	n := 0
	for n < len(digits) && digitValue(digits[n]) < base {
		n++
	}
	suffix := digits[n:]
	digits = digits[:n]
	lit := literal{decimal: base == 10}
	switch suffix {
	case "":
	case "u", "U":
		lit.unsigned = true
	case "l", "L", "ll", "LL":
		lit.long = true
	case "ul", "uL", "Ul", "UL", "lu", "lU", "Lu", "LU",
		"ull", "uLL", "Ull", "ULL", "llu", "llU", "LLu", "LLU":
		lit.unsigned, lit.long = true, true
	default:
		if base == 8 && suffix != "" && isDigit(suffix[0]) {
			return lit, fmt.Errorf("invalid digit %q in octal literal %s", suffix[0], s)
		}
		return lit, fmt.Errorf("invalid integer literal %s: want decimal, 0x hexadecimal or 0 octal digits with an optional U, L, UL, LL or ULL suffix", s)
	}
	if base == 16 && digits == "" {
		return lit, fmt.Errorf("invalid integer literal %s: no digits after 0x", s)
	}
	for i := 0; i < len(digits); i++ {
		d := digitValue(digits[i])
		if lit.bits > (^uint64(0)-d)/base {
			return lit, fmt.Errorf("integer literal %s does not fit in 64 bits", s)
		}
		lit.bits = lit.bits*base + d
	}
	return lit, nil
}

func digitValue(c byte) uint64 {
	switch {
	case '0' <= c && c <= '9':
		return uint64(c - '0')
	case 'a' <= c && c <= 'f':
		return uint64(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return uint64(c-'A') + 10
	}
	return 99
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}
func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isIdentChar(c byte) bool  { return isIdentStart(c) || isDigit(c) }
