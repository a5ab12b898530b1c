package expr

import (
	"fmt"
	"math"
	"sync"

	"github.com/gopsa/psa/values"
)

// ctype is the C type of a value after integer promotion, on LP64: long
// long has the size and rank of long for the purposes of this package.
type ctype uint8

const (
	tInt ctype = iota
	tUint
	tLong
	tUlong
)

func (t ctype) wide() bool     { return t >= tLong }
func (t ctype) unsigned() bool { return t == tUint || t == tUlong }

// value holds a C value as the 64-bit two's complement pattern of its
// conversion to intmax_t: an int or unsigned int is sign- or zero-extended.
type value struct {
	bits uint64
	t    ctype
}

func mk(t ctype, bits uint64) value {
	switch t {
	case tInt:
		bits = uint64(int64(int32(bits)))
	case tUint:
		bits = uint64(uint32(bits))
	}
	return value{bits: bits, t: t}
}

func (v value) to(t ctype) value { return mk(t, v.bits) }

// common is the type of the usual arithmetic conversions on LP64: the
// wider type wins, and at equal width unsigned wins. (unsigned int with
// long gives long, since long holds every unsigned int.)
func common(a, b ctype) ctype {
	if a.wide() != b.wide() {
		if a.wide() {
			return a
		}
		return b
	}
	if a.unsigned() || b.unsigned() {
		if a.wide() {
			return tUlong
		}
		return tUint
	}
	return a
}

type evaluator struct {
	env  Env
	def  Definer
	pp   bool
	args []int64 // stack of macro arguments, reused across evaluations
}

var evalPool = sync.Pool{New: func() any { return new(evaluator) }}

// intType is the type of a comparison or logical result: int in C, and
// intmax_t in a #if.
func (ev *evaluator) intType() ctype {
	if ev.pp {
		return tLong
	}
	return tInt
}

func (ev *evaluator) truth(b bool) value {
	if b {
		return mk(ev.intType(), 1)
	}
	return mk(ev.intType(), 0)
}

func (ev *evaluator) litType(l literal) (ctype, error) {
	fitsInt64 := l.bits <= math.MaxInt64
	if ev.pp {
		// In #if every integer is intmax_t or uintmax_t.
		if l.unsigned || !fitsInt64 {
			return tUlong, nil
		}
		return tLong, nil
	}
	fitsInt32 := l.bits <= math.MaxInt32
	fitsUint32 := l.bits <= math.MaxUint32
	switch {
	case l.unsigned && l.long:
		return tUlong, nil
	case l.unsigned:
		if fitsUint32 {
			return tUint, nil
		}
		return tUlong, nil
	}
	// Signed first; octal and hexadecimal literals may then be unsigned.
	if !l.long && fitsInt32 {
		return tInt, nil
	}
	if !l.long && !l.decimal && fitsUint32 {
		return tUint, nil
	}
	if fitsInt64 {
		return tLong, nil
	}
	if !l.decimal {
		return tUlong, nil
	}
	return 0, fmt.Errorf("decimal literal %d does not fit in long: %w", l.bits, values.ErrInvalidArgument)
}

func (ev *evaluator) eval(n *node) (value, error) {
	switch n.op {
	case opLit:
		t, err := ev.litType(n.lit)
		if err != nil {
			return value{}, err
		}
		return mk(t, n.lit.bits), nil
	case opIdent:
		if ev.pp && ev.def != nil && !ev.def.Defined(n.name) {
			return mk(tLong, 0), nil
		}
		v, err := ev.env.Ident(n.name)
		if err != nil {
			return value{}, err
		}
		return mk(tLong, uint64(v)), nil
	case opDefined:
		if !ev.pp {
			return value{}, fmt.Errorf("column %d: defined is only valid in a preprocessor condition: %w", n.pos+1, values.ErrInvalidArgument)
		}
		if ev.def == nil {
			return value{}, fmt.Errorf("column %d: defined(%s): the environment does not say which names are defined: %w", n.pos+1, n.name, values.ErrNotSupported)
		}
		return ev.truth(ev.def.Defined(n.name)), nil
	case opCall:
		return ev.call(n)
	case opCast:
		if ev.pp {
			return value{}, fmt.Errorf("column %d: a cast is not allowed in a preprocessor condition: %w", n.pos+1, values.ErrInvalidArgument)
		}
		x, err := ev.eval(n.kids[0])
		if err != nil {
			return value{}, err
		}
		return cast(x, n.cast), nil
	case opNeg, opPlus, opCompl, opNot:
		x, err := ev.eval(n.kids[0])
		if err != nil {
			return value{}, err
		}
		switch n.op {
		case opNeg:
			return mk(x.t, -x.bits), nil
		case opPlus:
			return x, nil
		case opCompl:
			return mk(x.t, ^x.bits), nil
		}
		return ev.truth(x.bits == 0), nil
	case opLogAnd, opLogOr:
		x, err := ev.eval(n.kids[0])
		if err != nil {
			return value{}, err
		}
		if (x.bits != 0) == (n.op == opLogOr) {
			return ev.truth(n.op == opLogOr), nil
		}
		y, err := ev.eval(n.kids[1])
		if err != nil {
			return value{}, err
		}
		return ev.truth(y.bits != 0), nil
	case opCond:
		c, err := ev.eval(n.kids[0])
		if err != nil {
			return value{}, err
		}
		// The result type depends on both branches, but only the chosen
		// one is evaluated, as in C.
		t, err := ev.typeOf(n)
		if err != nil {
			return value{}, err
		}
		k := n.kids[2]
		if c.bits != 0 {
			k = n.kids[1]
		}
		v, err := ev.eval(k)
		if err != nil {
			return value{}, err
		}
		return v.to(t), nil
	}
	x, err := ev.eval(n.kids[0])
	if err != nil {
		return value{}, err
	}
	y, err := ev.eval(n.kids[1])
	if err != nil {
		return value{}, err
	}
	return ev.binary(n, x, y)
}

func (ev *evaluator) call(n *node) (value, error) {
	base := len(ev.args)
	for _, k := range n.kids {
		v, err := ev.eval(k)
		if err != nil {
			ev.args = ev.args[:base]
			return value{}, err
		}
		ev.args = append(ev.args, int64(v.bits))
	}
	r, err := ev.env.Call(n.name, ev.args[base:len(ev.args):len(ev.args)])
	ev.args = ev.args[:base]
	if err != nil {
		return value{}, err
	}
	return mk(tLong, uint64(r)), nil
}

func cast(x value, ct castType) value {
	bits := x.bits
	switch {
	case ct.bits == 64:
		if ct.signed {
			return mk(tLong, bits)
		}
		return mk(tUlong, bits)
	case ct.signed:
		shift := 64 - uint(ct.bits)
		bits = uint64(int64(bits<<shift) >> shift)
	default:
		bits &= 1<<ct.bits - 1
	}
	// Narrower types promote to int; unsigned int stays unsigned.
	if ct.bits == 32 && !ct.signed {
		return mk(tUint, bits)
	}
	return mk(tInt, bits)
}

func (ev *evaluator) binary(n *node, x, y value) (value, error) {
	if n.op == opShl || n.op == opShr {
		width := uint64(32)
		if x.t.wide() {
			width = 64
		}
		count := int64(y.bits)
		if y.t.unsigned() && y.bits > math.MaxInt64 {
			count = -1 // a huge unsigned count is out of range too
		}
		if count < 0 || uint64(count) >= width {
			c := fmt.Sprint(int64(y.bits))
			if y.t.unsigned() {
				c = fmt.Sprint(y.bits)
			}
			return value{}, fmt.Errorf("column %d: shift count %s is out of range for a %d-bit operand (want 0 to %d): %w", n.pos+1, c, width, width-1, values.ErrInvalidArgument)
		}
		if n.op == opShl {
			return mk(x.t, x.bits<<count), nil
		}
		if x.t.unsigned() {
			return mk(x.t, x.bits>>count), nil
		}
		return mk(x.t, uint64(int64(x.bits)>>count)), nil
	}
	t := common(x.t, y.t)
	x, y = x.to(t), y.to(t)
	a, b := x.bits, y.bits
	sa, sb := int64(a), int64(b)
	signed := !t.unsigned()
	switch n.op {
	case opMul:
		return mk(t, a*b), nil
	case opDiv, opRem:
		if b == 0 {
			return value{}, fmt.Errorf("column %d: division by zero: %w", n.pos+1, values.ErrInvalidArgument)
		}
		switch {
		case signed && n.op == opDiv:
			return mk(t, uint64(sa/sb)), nil
		case signed:
			return mk(t, uint64(sa%sb)), nil
		case n.op == opDiv:
			return mk(t, a/b), nil
		}
		return mk(t, a%b), nil
	case opAdd:
		return mk(t, a+b), nil
	case opSub:
		return mk(t, a-b), nil
	case opAnd:
		return mk(t, a&b), nil
	case opXor:
		return mk(t, a^b), nil
	case opOr:
		return mk(t, a|b), nil
	case opEq:
		return ev.truth(a == b), nil
	case opNe:
		return ev.truth(a != b), nil
	}
	var less, equal = a < b, a == b
	if signed {
		less = sa < sb
	}
	switch n.op {
	case opLt:
		return ev.truth(less), nil
	case opLe:
		return ev.truth(less || equal), nil
	case opGt:
		return ev.truth(!less && !equal), nil
	}
	return ev.truth(!less), nil // opGe
}

// typeOf computes the static C type of n without evaluating it, for the
// result of ?: whose unevaluated branch still contributes its type.
func (ev *evaluator) typeOf(n *node) (ctype, error) {
	switch n.op {
	case opLit:
		return ev.litType(n.lit)
	case opIdent, opCall:
		return tLong, nil
	case opDefined, opNot, opLogAnd, opLogOr, opLt, opLe, opGt, opGe, opEq, opNe:
		return ev.intType(), nil
	case opCast:
		return cast(value{}, n.cast).t, nil
	case opNeg, opPlus, opCompl, opShl, opShr:
		return ev.typeOf(n.kids[0])
	case opCond:
		a, err := ev.typeOf(n.kids[1])
		if err != nil {
			return 0, err
		}
		b, err := ev.typeOf(n.kids[2])
		return common(a, b), err
	}
	a, err := ev.typeOf(n.kids[0])
	if err != nil {
		return 0, err
	}
	b, err := ev.typeOf(n.kids[1])
	return common(a, b), err
}
