// Verdict's Go driver for function problems: everything but the signature. The generated driver.go
// is this file followed by main(), which declares the parameters, reads them
// (verdictReadArguments), calls the user's function, assigning what it returns to a variable of
// the problem's return type (so a wrong return type is a compile error saying exactly that), and
// prints it (verdictEmit); and by verdictFunction, the function's name. Every import is aliased
// and every top-level name starts with verdict, so that nothing the user declares (or names a
// parameter) collides with them. Values are converted by reflection on the declared Go types.
// Faults of the test data or of the returned value end the run with exit code 1 and one line
// "verdict-driver: ..." on stderr. Compiled and run on its own, with selftest.go, in CI
// (test/driver-preludes.e2e-spec.ts).
package main

import (
	verdictBytes "bytes"
	verdictJSON "encoding/json"
	verdictIO "io"
	verdictMath "math"
	verdictOS "os"
	verdictReflect "reflect"
	verdictStrconv "strconv"
	verdictStrings "strings"
	verdictSyscall "syscall"
)

// The node types, as LeetCode defines them (starter code shows these lines).
type ListNode struct {
	Val  int
	Next *ListNode
}

type TreeNode struct {
	Val   int
	Left  *TreeNode
	Right *TreeNode
}

var verdictResultOut *verdictOS.File

// The result goes to the original stdout; whatever the solution prints goes to stderr, through
// os.Stdout or straight to file descriptor 1. In the sandbox this file is driver.go, which sorts
// before solution.go, so this init runs before any of the user's.
func init() {
	verdictResultOut = verdictOS.Stdout
	if fd, err := verdictSyscall.Dup(1); err == nil && verdictSyscall.Dup3(2, 1, 0) == nil {
		verdictResultOut = verdictOS.NewFile(uintptr(fd), "result")
	}
	verdictOS.Stdout = verdictOS.Stderr
}

func verdictFail(message string) {
	verdictOS.Stderr.WriteString("verdict-driver: " + message + "\n")
	verdictOS.Exit(1)
}

// Where a value sits: the argument's name (or the returned value) and the indices into it.
type verdictPath struct {
	root   string
	parent *verdictPath
	index  int
}

func (p *verdictPath) at(i int) *verdictPath { return &verdictPath{root: p.root, parent: p, index: i} }

func (p *verdictPath) String() string {
	if p.parent == nil {
		return p.root
	}
	return p.parent.String() + "[" + verdictStrconv.Itoa(p.index) + "]"
}

var verdictListNodeType = verdictReflect.TypeOf((*ListNode)(nil))
var verdictTreeNodeType = verdictReflect.TypeOf((*TreeNode)(nil))

func verdictArgumentList(input []byte, count int, names string) []interface{} {
	decoder := verdictJSON.NewDecoder(verdictBytes.NewReader(input))
	decoder.UseNumber()
	var arguments []interface{}
	expected := "the test input must be a JSON array of " + verdictStrconv.Itoa(count) + " argument(s) (" + names + ")"
	if err := decoder.Decode(&arguments); err != nil {
		verdictFail(expected + ": " + err.Error())
	}
	if _, err := decoder.Token(); err != verdictIO.EOF {
		verdictFail("the test input has text after the argument list")
	}
	if len(arguments) != count {
		verdictFail(expected + ", got " + verdictStrconv.Itoa(len(arguments)))
	}
	return arguments
}

// verdictReadArguments reads the test's input (stdin), the argument list, into the parameters:
// one pointer per parameter, in order; names are the parameters' names, for messages.
func verdictReadArguments(names []string, parameters ...interface{}) {
	input, err := verdictIO.ReadAll(verdictOS.Stdin)
	if err != nil {
		verdictFail("cannot read the test input: " + err.Error())
	}
	arguments := verdictArgumentList(input, len(names), verdictStrings.Join(names, ", "))
	for i, parameter := range parameters {
		verdictDecode(arguments[i], verdictReflect.ValueOf(parameter).Elem(), &verdictPath{root: names[i]})
	}
}

func verdictDescribe(value interface{}) string {
	switch v := value.(type) {
	case nil:
		return "null"
	case bool:
		return "a bool"
	case verdictJSON.Number:
		return "the number " + string(v)
	case string:
		return "a string"
	case []interface{}:
		return "an array"
	}
	return "an object"
}

func verdictIntegerName(kind verdictReflect.Kind) string {
	if kind == verdictReflect.Int64 {
		return "long"
	}
	return "int"
}

// Integers are read from their digits, never through a float, so every long is exact; a whole
// number written with a fraction or exponent (3.0, 1e3) is accepted too.
func verdictInteger(value interface{}, kind verdictReflect.Kind, path *verdictPath) int64 {
	name := verdictIntegerName(kind)
	number, ok := value.(verdictJSON.Number)
	if !ok {
		verdictFail("argument " + path.String() + " is " + verdictDescribe(value) + ", expected " + name)
	}
	low, high := int64(verdictMath.MinInt64), int64(verdictMath.MaxInt64)
	if kind != verdictReflect.Int64 {
		low, high = verdictMath.MinInt32, verdictMath.MaxInt32
	}
	n, err := verdictStrconv.ParseInt(string(number), 10, 64)
	if err != nil && err.(*verdictStrconv.NumError).Err == verdictStrconv.ErrSyntax {
		real, realErr := verdictStrconv.ParseFloat(string(number), 64)
		if realErr != nil || real != verdictMath.Trunc(real) {
			verdictFail("argument " + path.String() + ": " + string(number) + " is not a whole number, expected " + name)
		}
		if real >= -9223372036854775808.0 && real < 9223372036854775808.0 {
			n, err = int64(real), nil
		}
	}
	if err != nil || n < low || n > high {
		verdictFail("argument " + path.String() + ": " + string(number) + " is out of range for " + name)
	}
	return n
}

func verdictDecode(value interface{}, target verdictReflect.Value, path *verdictPath) {
	switch target.Type() {
	case verdictListNodeType:
		var values []int
		verdictDecode(value, verdictReflect.ValueOf(&values).Elem(), path)
		var head *ListNode
		for i := len(values) - 1; i >= 0; i-- {
			head = &ListNode{Val: values[i], Next: head}
		}
		target.Set(verdictReflect.ValueOf(head))
		return
	case verdictTreeNodeType:
		target.Set(verdictReflect.ValueOf(verdictBuildTree(value, path)))
		return
	}
	switch target.Kind() {
	case verdictReflect.Int, verdictReflect.Int64:
		target.SetInt(verdictInteger(value, target.Kind(), path))
	case verdictReflect.Float64:
		number, ok := value.(verdictJSON.Number)
		real, err := verdictStrconv.ParseFloat(string(number), 64)
		if !ok || err != nil {
			verdictFail("argument " + path.String() + " is " + verdictDescribe(value) + ", expected double")
		}
		target.SetFloat(real)
	case verdictReflect.Bool:
		b, ok := value.(bool)
		if !ok {
			verdictFail("argument " + path.String() + " is " + verdictDescribe(value) + ", expected bool")
		}
		target.SetBool(b)
	case verdictReflect.String:
		s, ok := value.(string)
		if !ok {
			verdictFail("argument " + path.String() + " is " + verdictDescribe(value) + ", expected string")
		}
		target.SetString(s)
	case verdictReflect.Slice:
		items, ok := value.([]interface{})
		if !ok {
			verdictFail("argument " + path.String() + " is " + verdictDescribe(value) + ", expected an array")
		}
		slice := verdictReflect.MakeSlice(target.Type(), len(items), len(items))
		for i, item := range items {
			verdictDecode(item, slice.Index(i), path.at(i))
		}
		target.Set(slice)
	default:
		verdictFail("cannot read a value of Go type " + target.Type().String())
	}
}

func verdictBuildTree(value interface{}, path *verdictPath) *TreeNode {
	items, ok := value.([]interface{})
	if !ok {
		verdictFail("argument " + path.String() + " is " + verdictDescribe(value) + ", expected a TreeNode (an array in level order)")
	}
	if len(items) == 0 {
		return nil
	}
	nodes := make([]*TreeNode, len(items))
	for i, item := range items {
		if item != nil {
			nodes[i] = &TreeNode{Val: int(verdictInteger(item, verdictReflect.Int, path.at(i)))}
		}
	}
	if nodes[0] == nil {
		verdictFail("argument " + path.String() + "[0] is null: the root of a tree cannot be (an empty tree is [])")
	}
	parents := []*TreeNode{nodes[0]}
	for i := 1; i < len(nodes); {
		if len(parents) == 0 {
			verdictFail("argument " + path.at(i).String() + " has no parent: every node before it is null")
		}
		parent := parents[0]
		parents = parents[1:]
		for _, child := range []**TreeNode{&parent.Left, &parent.Right} {
			if i < len(nodes) {
				*child = nodes[i]
				if nodes[i] != nil {
					parents = append(parents, nodes[i])
				}
				i++
			}
		}
	}
	return nodes[0]
}

func verdictReturnedBadly(at *verdictPath, what string, why string) {
	where := at.String()
	if where != "" {
		where = " at " + where
	}
	verdictFail(verdictFunction + " returned " + what + where + why)
}

func verdictEncode(out *verdictStrings.Builder, value verdictReflect.Value, at *verdictPath) {
	switch value.Type() {
	case verdictListNodeType:
		seen := map[*ListNode]bool{}
		out.WriteByte('[')
		i := 0
		for node := value.Interface().(*ListNode); node != nil; node = node.Next {
			if seen[node] {
				verdictReturnedBadly(at, "a linked list with a cycle", " (node "+verdictStrconv.Itoa(i)+" is an earlier node again)")
			}
			seen[node] = true
			if i > 0 {
				out.WriteByte(',')
			}
			out.WriteString(verdictStrconv.Itoa(node.Val))
			i++
		}
		out.WriteByte(']')
		return
	case verdictTreeNodeType:
		var order []*TreeNode
		seen := map[*TreeNode]bool{}
		if root := value.Interface().(*TreeNode); root != nil {
			order = append(order, root)
			seen[root] = true
		}
		for i := 0; i < len(order); i++ {
			if order[i] == nil {
				continue
			}
			for _, child := range []*TreeNode{order[i].Left, order[i].Right} {
				if child != nil {
					if seen[child] {
						verdictReturnedBadly(at, "a tree in which a node is reached twice", " (a cycle or a shared subtree)")
					}
					seen[child] = true
				}
				order = append(order, child)
			}
		}
		for len(order) > 0 && order[len(order)-1] == nil {
			order = order[:len(order)-1]
		}
		out.WriteByte('[')
		for i, node := range order {
			if i > 0 {
				out.WriteByte(',')
			}
			if node == nil {
				out.WriteString("null")
			} else {
				out.WriteString(verdictStrconv.Itoa(node.Val))
			}
		}
		out.WriteByte(']')
		return
	}
	switch value.Kind() {
	case verdictReflect.Int, verdictReflect.Int64:
		out.WriteString(verdictStrconv.FormatInt(value.Int(), 10))
	case verdictReflect.Float64:
		real := value.Float()
		if verdictMath.IsNaN(real) || verdictMath.IsInf(real, 0) {
			verdictReturnedBadly(at, verdictStrconv.FormatFloat(real, 'g', -1, 64), ", which JSON cannot represent")
		}
		// The shortest text that reads back as the same float64.
		out.WriteString(verdictStrconv.FormatFloat(real, 'g', -1, 64))
	case verdictReflect.Bool:
		out.WriteString(verdictStrconv.FormatBool(value.Bool()))
	case verdictReflect.String:
		text, _ := verdictJSON.Marshal(value.String())
		out.Write(text)
	case verdictReflect.Slice:
		// A nil slice is an empty array: returning nil for "nothing" is idiomatic Go.
		out.WriteByte('[')
		for i := 0; i < value.Len(); i++ {
			if i > 0 {
				out.WriteByte(',')
			}
			verdictEncode(out, value.Index(i), at.at(i))
		}
		out.WriteByte(']')
	default:
		verdictFail("cannot write a value of Go type " + value.Type().String())
	}
}

// verdictEmit prints the returned value (a pointer to the variable holding it) as JSON on the
// original stdout.
func verdictEmit(returned interface{}) {
	var out verdictStrings.Builder
	verdictEncode(&out, verdictReflect.ValueOf(returned).Elem(), &verdictPath{})
	out.WriteByte('\n')
	if _, err := verdictResultOut.WriteString(out.String()); err != nil {
		verdictFail("cannot write the result: " + err.Error())
	}
}
