// Self-test of verdict_driver.go, run by test/driver-preludes.e2e-spec.ts in the Go runtime image
// (built with it as the language catalog builds driver.go and solution.go):
//
//	./main MODE TYPE < argument-list.json
//
// does what the main() of a generated driver.go does for the signature selfTest(value: TYPE) ->
// TYPE, with a function that does what MODE says.
package main

import (
	"fmt"
	"math"
	"os"
	"syscall"
)

const verdictFunction = "selfTest"

func echo[T any]() {
	var value T
	verdictReadArguments([]string{"value"}, &value)
	// What the solution prints must not reach the result.
	fmt.Println("noise from fmt.Println")
	syscall.Write(1, []byte("noise on fd 1\n"))
	verdictEmit(&value)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: main MODE TYPE < argument-list.json")
		os.Exit(2)
	}
	switch os.Args[1] + " " + os.Args[2] {
	case "echo int":
		echo[int]()
	case "echo int[]":
		echo[[]int]()
	case "echo int[][]":
		echo[[][]int]()
	case "echo long":
		echo[int64]()
	case "echo long[]":
		echo[[]int64]()
	case "echo long[][]":
		echo[[][]int64]()
	case "echo double":
		echo[float64]()
	case "echo double[]":
		echo[[]float64]()
	case "echo double[][]":
		echo[[][]float64]()
	case "echo bool":
		echo[bool]()
	case "echo bool[]":
		echo[[]bool]()
	case "echo bool[][]":
		echo[[][]bool]()
	case "echo string":
		echo[string]()
	case "echo string[]":
		echo[[]string]()
	case "echo string[][]":
		echo[[][]string]()
	case "echo ListNode":
		echo[*ListNode]()
	case "echo ListNode[]":
		echo[[]*ListNode]()
	case "echo TreeNode":
		echo[*TreeNode]()
	case "echo TreeNode[]":
		echo[[]*TreeNode]()
	case "list-cycle ListNode":
		var head *ListNode
		verdictReadArguments([]string{"value"}, &head)
		head.Next.Next.Next = head.Next
		verdictEmit(&head)
	case "shared-tree TreeNode":
		var root *TreeNode
		verdictReadArguments([]string{"value"}, &root)
		root.Left = &TreeNode{Val: 9}
		root.Right = root.Left
		verdictEmit(&root)
	case "nan double":
		var value float64
		verdictReadArguments([]string{"value"}, &value)
		value = math.NaN()
		verdictEmit(&value)
	case "infinity double[]":
		var values []float64
		verdictReadArguments([]string{"value"}, &values)
		values[1] = math.Inf(1)
		verdictEmit(&values)
	default:
		fmt.Fprintln(os.Stderr, "selftest: no mode "+os.Args[1]+" for type "+os.Args[2])
		os.Exit(2)
	}
}
