import { Test, TestingModule } from '@nestjs/testing';
import { ACCEPTED, CHECKERS, chunksOf } from '@verdict/checkers';
import { ConfigModule, JudgingConfig, MetricsConfig, SandboxConfig, WorkerConfig } from '@verdict/config';
import { MetricsModule } from '@verdict/metrics';
import { CheckerSpec, FunctionSignature } from '@verdict/contracts';
import { FUNCTION_LANGUAGES, driverDiagnostic, functionProgram, starterCode } from '@verdict/function-problems';
import { ProgramRunner, RunSpecs, SandboxSpecs } from '@verdict/judging';
import { LanguageCatalog, applyLanguageLimits } from '@verdict/languages';
import { RunResult, SandboxModule, SandboxLauncher } from '@verdict/sandbox';
import { randomBytes } from 'node:crypto';

/**
 * Function problems (issue 4) for real: for each language, the program functionProgram generates
 * around a user's function is compiled and run in the language's runtime image through the sandbox
 * (real Docker), the way the worker does, and what it prints is judged by the json checker. A user
 * relies on: the usual LeetCode shapes working (arrays, strings, doubles to the last bit, longs,
 * lists and trees), printing for debugging not breaking the result, and a wrong return type, an
 * exception or a syntax error giving a message that points at their own code.
 */

type Language = 'python' | 'cpp' | 'go' | 'java' | 'javascript';
const LANGUAGES: Language[] = ['python', 'cpp', 'go', 'java', 'javascript'];

interface FunctionCase {
  signature: FunctionSignature;
  checker?: CheckerSpec;
  /** [input (the argument list), answer], as JSON text. */
  tests: [string, string][];
  solutions: Record<Language, string>;
}

const sig = (functionName: string, parameters: [string, string][], returnType: string): FunctionSignature => ({
  functionName,
  parameters: parameters.map(([name, type]) => ({ name, type })),
  returnType,
});

const TWO_SUM = sig('twoSum', [['nums', 'int[]'], ['target', 'int']], 'int[]');

/** Every solution here prints to stdout too: the result must still be exactly the returned value. */
const CASES: Record<string, FunctionCase> = {
  'two-sum (int[], int → int[])': {
    signature: TWO_SUM,
    tests: [
      ['[[2,7,11,15], 9]', '[0,1]'],
      ['[[3,2,4],6]', '[1,2]'],
      ['[[3,3],\n 6]\n', '[0,1]'],
    ],
    solutions: {
      python: `class Solution:
    def twoSum(self, nums: List[int], target: int) -> List[int]:
        print("looking at", nums)
        seen = {}
        for i, x in enumerate(nums):
            if target - x in seen:
                return [seen[target - x], i]
            seen[x] = i
`,
      cpp: `class Solution {
public:
    vector<int> twoSum(vector<int>& nums, int target) {
        cout << "looking at " << nums.size() << " numbers" << endl;
        printf("printf too\\n");
        unordered_map<int, int> seen;
        for (int i = 0; i < (int)nums.size(); ++i) {
            auto it = seen.find(target - nums[i]);
            if (it != seen.end()) return {it->second, i};
            seen[nums[i]] = i;
        }
        return {};
    }
};
`,
      go: `import "fmt"

func twoSum(nums []int, target int) []int {
	fmt.Println("looking at", nums)
	seen := map[int]int{}
	for i, x := range nums {
		if j, ok := seen[target-x]; ok {
			return []int{j, i}
		}
		seen[x] = i
	}
	return nil
}
`,
      java: `class Solution {
    public int[] twoSum(int[] nums, int target) {
        System.out.println("looking at " + Arrays.toString(nums));
        Map<Integer, Integer> seen = new HashMap<>();
        for (int i = 0; i < nums.length; i++) {
            if (seen.containsKey(target - nums[i])) return new int[] {seen.get(target - nums[i]), i};
            seen.put(nums[i], i);
        }
        return new int[0];
    }
}
`,
      javascript: `/**
 * @param {number[]} nums
 * @param {number} target
 * @return {number[]}
 */
var twoSum = function(nums, target) {
    console.log("looking at", nums);
    process.stdout.write("and straight to process.stdout\\n");
    const seen = new Map();
    for (let i = 0; i < nums.length; i++) {
        if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];
        seen.set(nums[i], i);
    }
    return [];
};
`,
    },
  },

  'longest common prefix (string[] → string, escapes and non-ASCII)': {
    signature: sig('longestCommonPrefix', [['strs', 'string[]']], 'string'),
    tests: [
      ['[["flower","flow","flight"]]', '"fl"'],
      ['[["dog","racecar","car"]]', '""'],
      [String.raw`[["a\"b\\c\nd\t/é€😀x", "a\"b\\c\nd\t\/é€😀y"]]`, String.raw`"a\"b\\c\nd\t/é€😀"`],
      [String.raw`[["caf\u00e9 \ud83d\ude00!", "café 😀?"]]`, '"café 😀"'],
    ],
    solutions: {
      python: `class Solution:
    def longestCommonPrefix(self, strs: List[str]) -> str:
        prefix = strs[0] if strs else ""
        for s in strs[1:]:
            while not s.startswith(prefix):
                prefix = prefix[:-1]
        return prefix
`,
      cpp: `class Solution {
public:
    string longestCommonPrefix(vector<string>& strs) {
        if (strs.empty()) return "";
        string prefix = strs[0];
        for (const string& s : strs) {
            size_t n = 0;
            while (n < prefix.size() && n < s.size() && prefix[n] == s[n]) ++n;
            prefix.resize(n);
        }
        return prefix;
    }
};
`,
      go: `import "strings"

func longestCommonPrefix(strs []string) string {
	if len(strs) == 0 {
		return ""
	}
	prefix := strs[0]
	for _, s := range strs[1:] {
		for !strings.HasPrefix(s, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	return prefix
}
`,
      java: `class Solution {
    public String longestCommonPrefix(String[] strs) {
        if (strs.length == 0) return "";
        String prefix = strs[0];
        for (String s : strs) while (!s.startsWith(prefix)) prefix = prefix.substring(0, prefix.length() - 1);
        return prefix;
    }
}
`,
      javascript: `var longestCommonPrefix = function(strs) {
    let prefix = strs.length ? strs[0] : "";
    for (const s of strs) while (!s.startsWith(prefix)) prefix = prefix.slice(0, -1);
    return prefix;
};
`,
    },
  },

  'median of two sorted arrays (int[], int[] → double)': {
    signature: sig('findMedianSortedArrays', [['nums1', 'int[]'], ['nums2', 'int[]']], 'double'),
    tests: [
      ['[[1,3],[2]]', '2.0'],
      ['[[1,2],[3,4]]', '2.5'],
      ['[[0,0],[0,0]]', '0'],
      ['[[],[1]]', '1.0'],
    ],
    solutions: {
      // Returns an int when the count is odd: a double return type accepts it.
      python: `class Solution:
    def findMedianSortedArrays(self, nums1: List[int], nums2: List[int]) -> float:
        merged = sorted(nums1 + nums2)
        n = len(merged)
        return merged[n // 2] if n % 2 else (merged[n // 2 - 1] + merged[n // 2]) / 2
`,
      cpp: `class Solution {
public:
    double findMedianSortedArrays(vector<int>& nums1, vector<int>& nums2) {
        vector<int> merged(nums1);
        merged.insert(merged.end(), nums2.begin(), nums2.end());
        sort(merged.begin(), merged.end());
        size_t n = merged.size();
        return n % 2 ? merged[n / 2] : (merged[n / 2 - 1] + merged[n / 2]) / 2.0;
    }
};
`,
      go: `import "sort"

func findMedianSortedArrays(nums1 []int, nums2 []int) float64 {
	merged := append(append([]int{}, nums1...), nums2...)
	sort.Ints(merged)
	n := len(merged)
	if n%2 == 1 {
		return float64(merged[n/2])
	}
	return float64(merged[n/2-1]+merged[n/2]) / 2
}
`,
      java: `class Solution {
    public double findMedianSortedArrays(int[] nums1, int[] nums2) {
        int[] merged = IntStream.concat(Arrays.stream(nums1), Arrays.stream(nums2)).sorted().toArray();
        int n = merged.length;
        return n % 2 == 1 ? merged[n / 2] : (merged[n / 2 - 1] + merged[n / 2]) / 2.0;
    }
}
`,
      javascript: `var findMedianSortedArrays = function(nums1, nums2) {
    const merged = [...nums1, ...nums2].sort((a, b) => a - b);
    const n = merged.length;
    return n % 2 ? merged[n >> 1] : (merged[n / 2 - 1] + merged[n / 2]) / 2;
};
`,
    },
  },

  'divide (double, double → double, every bit of it)': {
    signature: sig('divide', [['a', 'double'], ['b', 'double']], 'double'),
    // No tolerance: the printed double must read back as exactly the one computed.
    checker: { type: 'json', absError: 0, relError: 0 },
    tests: [
      [1, 3],
      [0.1, 3],
      [1e-7, 1],
      [1e300, 0.5],
      [-7, 2],
      [2.5e-310, 1],
    ].map(([a, b]) => [`[${a}, ${b}]`, JSON.stringify(a / b)] as [string, string]),
    solutions: {
      python: `class Solution:
    def divide(self, a: float, b: float) -> float:
        return a / b
`,
      cpp: `class Solution {
public:
    double divide(double a, double b) { return a / b; }
};
`,
      go: `func divide(a float64, b float64) float64 {
	return a / b
}
`,
      java: `class Solution {
    public double divide(double a, double b) { return a / b; }
}
`,
      javascript: `var divide = function(a, b) {
    return a / b;
};
`,
    },
  },

  'transpose (int[][] → int[][])': {
    signature: sig('transpose', [['matrix', 'int[][]']], 'int[][]'),
    tests: [
      ['[[[1,2,3],[4,5,6]]]', '[[1,4],[2,5],[3,6]]'],
      ['[[[7]]]', '[[7]]'],
      ['[[[-2147483648, 2147483647]]]', '[[-2147483648],[2147483647]]'],
    ],
    solutions: {
      python: `class Solution:
    def transpose(self, matrix: List[List[int]]) -> List[List[int]]:
        return [list(column) for column in zip(*matrix)]
`,
      cpp: `class Solution {
public:
    vector<vector<int>> transpose(vector<vector<int>>& matrix) {
        vector<vector<int>> result(matrix[0].size(), vector<int>(matrix.size()));
        for (size_t i = 0; i < matrix.size(); ++i)
            for (size_t j = 0; j < matrix[0].size(); ++j) result[j][i] = matrix[i][j];
        return result;
    }
};
`,
      go: `func transpose(matrix [][]int) [][]int {
	result := make([][]int, len(matrix[0]))
	for j := range result {
		result[j] = make([]int, len(matrix))
		for i := range matrix {
			result[j][i] = matrix[i][j]
		}
	}
	return result
}
`,
      java: `class Solution {
    public int[][] transpose(int[][] matrix) {
        int[][] result = new int[matrix[0].length][matrix.length];
        for (int i = 0; i < matrix.length; i++)
            for (int j = 0; j < matrix[0].length; j++) result[j][i] = matrix[i][j];
        return result;
    }
}
`,
      javascript: `var transpose = function(matrix) {
    return matrix[0].map((_, j) => matrix.map((row) => row[j]));
};
`,
    },
  },

  'palindrome number (int → bool)': {
    signature: sig('isPalindrome', [['x', 'int']], 'bool'),
    tests: [
      ['[121]', 'true'],
      ['[-121]', 'false'],
      ['[10]', 'false'],
      ['[0]', 'true'],
    ],
    solutions: {
      python: `class Solution:
    def isPalindrome(self, x: int) -> bool:
        return str(x) == str(x)[::-1]
`,
      cpp: `class Solution {
public:
    bool isPalindrome(int x) {
        string s = to_string(x);
        return s == string(s.rbegin(), s.rend());
    }
};
`,
      go: `import "strconv"

func isPalindrome(x int) bool {
	s := strconv.Itoa(x)
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		if s[i] != s[j] {
			return false
		}
	}
	return true
}
`,
      java: `class Solution {
    public boolean isPalindrome(int x) {
        String s = Integer.toString(x);
        return new StringBuilder(s).reverse().toString().equals(s);
    }
}
`,
      javascript: `var isPalindrome = function(x) {
    const s = String(x);
    return s === [...s].reverse().join('');
};
`,
    },
  },

  'reverse a linked list (ListNode → ListNode)': {
    signature: sig('reverseList', [['head', 'ListNode']], 'ListNode'),
    tests: [
      ['[[1,2,3,4,5]]', '[5,4,3,2,1]'],
      ['[[]]', '[]'],
      ['[[1,2]]', '[2,1]'],
    ],
    solutions: {
      python: `# Definition for singly-linked list.
# class ListNode:
#     def __init__(self, val=0, next=None):
#         self.val = val
#         self.next = next
class Solution:
    def reverseList(self, head: Optional[ListNode]) -> Optional[ListNode]:
        previous = None
        while head:
            head.next, previous, head = previous, head, head.next
        return previous
`,
      cpp: `class Solution {
public:
    ListNode* reverseList(ListNode* head) {
        ListNode* previous = nullptr;
        while (head) {
            ListNode* next = head->next;
            head->next = previous;
            previous = head;
            head = next;
        }
        return previous;
    }
};
`,
      go: `/**
 * Definition for singly-linked list.
 * type ListNode struct {
 *     Val int
 *     Next *ListNode
 * }
 */
func reverseList(head *ListNode) *ListNode {
	var previous *ListNode
	for head != nil {
		head.Next, previous, head = previous, head, head.Next
	}
	return previous
}
`,
      java: `class Solution {
    public ListNode reverseList(ListNode head) {
        ListNode previous = null;
        while (head != null) {
            ListNode next = head.next;
            head.next = previous;
            previous = head;
            head = next;
        }
        return previous;
    }
}
`,
      javascript: `var reverseList = function(head) {
    let previous = null;
    while (head) [head.next, previous, head] = [previous, head, head.next];
    return previous;
};
`,
    },
  },

  'merge k sorted lists (ListNode[] → ListNode)': {
    signature: sig('mergeKLists', [['lists', 'ListNode[]']], 'ListNode'),
    tests: [
      ['[[[1,4,5],[1,3,4],[2,6]]]', '[1,1,2,3,4,4,5,6]'],
      ['[[]]', '[]'],
      ['[[[],[-1]]]', '[-1]'],
    ],
    solutions: {
      python: `class Solution:
    def mergeKLists(self, lists: List[Optional[ListNode]]) -> Optional[ListNode]:
        heap = [(node.val, i, node) for i, node in enumerate(lists) if node]
        heapify(heap)
        head = tail = ListNode()
        while heap:
            _, i, node = heappop(heap)
            tail.next = tail = node
            if node.next:
                heappush(heap, (node.next.val, i, node.next))
        return head.next
`,
      cpp: `class Solution {
public:
    ListNode* mergeKLists(vector<ListNode*>& lists) {
        auto later = [](ListNode* a, ListNode* b) { return a->val > b->val; };
        priority_queue<ListNode*, vector<ListNode*>, decltype(later)> heap(later);
        for (ListNode* list : lists) if (list) heap.push(list);
        ListNode head;
        ListNode* tail = &head;
        while (!heap.empty()) {
            tail = tail->next = heap.top();
            heap.pop();
            if (tail->next) heap.push(tail->next);
        }
        return head.next;
    }
};
`,
      go: `func mergeKLists(lists []*ListNode) *ListNode {
	head := &ListNode{}
	tail := head
	for {
		best := -1
		for i, list := range lists {
			if list != nil && (best < 0 || list.Val < lists[best].Val) {
				best = i
			}
		}
		if best < 0 {
			return head.Next
		}
		tail.Next = lists[best]
		tail = tail.Next
		lists[best] = lists[best].Next
	}
}
`,
      java: `class Solution {
    public ListNode mergeKLists(ListNode[] lists) {
        PriorityQueue<ListNode> heap = new PriorityQueue<>((a, b) -> Integer.compare(a.val, b.val));
        for (ListNode list : lists) if (list != null) heap.add(list);
        ListNode head = new ListNode(), tail = head;
        while (!heap.isEmpty()) {
            tail = tail.next = heap.poll();
            if (tail.next != null) heap.add(tail.next);
        }
        return head.next;
    }
}
`,
      javascript: `var mergeKLists = function(lists) {
    const values = [];
    for (let list of lists) for (; list; list = list.next) values.push(list.val);
    values.sort((a, b) => a - b);
    let head = null;
    for (let i = values.length - 1; i >= 0; i--) head = new ListNode(values[i], head);
    return head;
};
`,
    },
  },

  'maximum depth of a binary tree (TreeNode → int)': {
    signature: sig('maxDepth', [['root', 'TreeNode']], 'int'),
    tests: [
      ['[[3,9,20,null,null,15,7]]', '3'],
      ['[[1,null,2]]', '2'],
      ['[[]]', '0'],
    ],
    solutions: {
      python: `class Solution:
    def maxDepth(self, root: Optional[TreeNode]) -> int:
        return 1 + max(self.maxDepth(root.left), self.maxDepth(root.right)) if root else 0
`,
      cpp: `class Solution {
public:
    int maxDepth(TreeNode* root) {
        return root ? 1 + max(maxDepth(root->left), maxDepth(root->right)) : 0;
    }
};
`,
      go: `func maxDepth(root *TreeNode) int {
	if root == nil {
		return 0
	}
	left, right := maxDepth(root.Left), maxDepth(root.Right)
	if left > right {
		return left + 1
	}
	return right + 1
}
`,
      java: `class Solution {
    public int maxDepth(TreeNode root) {
        return root == null ? 0 : 1 + Math.max(maxDepth(root.left), maxDepth(root.right));
    }
}
`,
      javascript: `var maxDepth = function(root) {
    return root ? 1 + Math.max(maxDepth(root.left), maxDepth(root.right)) : 0;
};
`,
    },
  },

  'invert a binary tree (TreeNode → TreeNode, level order with nulls)': {
    signature: sig('invertTree', [['root', 'TreeNode']], 'TreeNode'),
    tests: [
      ['[[4,2,7,1,3,6,9]]', '[4,7,2,9,6,3,1]'],
      ['[[2,1,3]]', '[2,3,1]'],
      ['[[]]', '[]'],
      ['[[1,2]]', '[1,null,2]'],
      ['[[1,2,3,null,4,null,5]]', '[1,3,2,5,null,4]'],
    ],
    solutions: {
      python: `class Solution:
    def invertTree(self, root: Optional[TreeNode]) -> Optional[TreeNode]:
        if root:
            root.left, root.right = self.invertTree(root.right), self.invertTree(root.left)
        return root
`,
      cpp: `class Solution {
public:
    TreeNode* invertTree(TreeNode* root) {
        if (root) {
            swap(root->left, root->right);
            invertTree(root->left);
            invertTree(root->right);
        }
        return root;
    }
};
`,
      go: `func invertTree(root *TreeNode) *TreeNode {
	if root != nil {
		root.Left, root.Right = invertTree(root.Right), invertTree(root.Left)
	}
	return root
}
`,
      java: `class Solution {
    public TreeNode invertTree(TreeNode root) {
        if (root != null) {
            TreeNode left = root.left;
            root.left = invertTree(root.right);
            root.right = invertTree(left);
        }
        return root;
    }
}
`,
      javascript: `var invertTree = function(root) {
    if (root) [root.left, root.right] = [invertTree(root.right), invertTree(root.left)];
    return root;
};
`,
    },
  },

  'multiply (long, long → long, beyond 32 bits)': {
    signature: sig('multiply', [['a', 'long'], ['b', 'long']], 'long'),
    tests: [
      ['[4294967296, 1000]', '4294967296000'],
      ['[-3000000000, 3000]', '-9000000000000'],
      ['[9007199254740991, 1]', '9007199254740991'],
    ],
    solutions: {
      python: `class Solution:
    def multiply(self, a: int, b: int) -> int:
        return a * b
`,
      cpp: `class Solution {
public:
    long long multiply(long long a, long long b) { return a * b; }
};
`,
      go: `func multiply(a int64, b int64) int64 {
	return a * b
}
`,
      java: `class Solution {
    public long multiply(long a, long b) { return a * b; }
}
`,
      javascript: `var multiply = function(a, b) {
    return a * b;
};
`,
    },
  },
};

/** twoSum returning a string: static languages must not compile it, dynamic ones must say so. */
const WRONG_RETURN_TYPE: Record<Language, { source: string; compileError?: RegExp; runError?: string }> = {
  python: {
    source: 'class Solution:\n    def twoSum(self, nums, target):\n        return "0,1"\n',
    runError: 'twoSum returned a string, expected int[]',
  },
  javascript: {
    source: 'var twoSum = function(nums, target) {\n    return "0,1";\n};\n',
    runError: 'twoSum returned a string, expected int[]',
  },
  cpp: {
    source: 'class Solution {\npublic:\n    string twoSum(vector<int>& nums, int target) { return "0,1"; }\n};\n',
    compileError: /twoSum must return vector<int> \(the problem's return type is int\[\]\)/,
  },
  go: {
    source: 'func twoSum(nums []int, target int) string {\n\treturn "0,1"\n}\n',
    compileError: /cannot use twoSum\(nums, target\) \(value of type string\) as (type \[\]int|\[\]int value) in variable declaration/,
  },
  java: {
    source: 'class Solution {\n    public String twoSum(int[] nums, int target) { return "0,1"; }\n}\n',
    compileError: /incompatible types: String cannot be converted to int\[\][\s\S]*twoSum must return int\[\]/,
  },
};

/** twoSum that throws on line 3 of the user's code: RE, with the user's message and line. */
const THROWS: Record<Language, { source: string; trace: RegExp }> = {
  python: {
    source: 'class Solution:\n    def twoSum(self, nums, target):\n        raise ValueError("no pair sums to target")\n',
    trace: /File "solution\.py", line 3, in twoSum/,
  },
  cpp: {
    source: 'class Solution {\npublic:\n    vector<int> twoSum(vector<int>& nums, int target) { throw runtime_error("no pair sums to target"); }\n};\n',
    trace: /terminate called after throwing an instance of 'std::runtime_error'/,
  },
  go: {
    source: 'func twoSum(nums []int, target int) []int {\n\tif target > 0 {\n\t\tpanic("no pair sums to target")\n\t}\n\treturn nil\n}\n',
    trace: /solution\.go:3/,
  },
  java: {
    source: 'class Solution {\n    public int[] twoSum(int[] nums, int target) {\n        throw new IllegalStateException("no pair sums to target");\n    }\n}\n',
    trace: /at Solution\.twoSum\(Solution\.java:3\)/,
  },
  javascript: {
    source: 'var twoSum = function(nums, target) {\n    const pairs = [];\n    throw new Error("no pair sums to target");\n};\n',
    trace: /solution\.js:3/,
  },
};

/** A syntax error on line 3 of the user's code: CE whose message names that line of that file. */
const SYNTAX_ERROR: Record<Language, { source: string; message: RegExp }> = {
  python: { source: 'class Solution:\n    def twoSum(self, nums, target):\n        return [0, 1\n', message: /solution\.py", line 3/ },
  cpp: { source: 'class Solution {\npublic:\n    vector<int> twoSum(vector<int>& nums, int target) { return {0, 1} }\n};\n', message: /solution\.cpp:3:\d+: error/ },
  go: { source: 'func twoSum(nums []int, target int) []int {\n\tx := 1\n\treturn []int{0, 1\n}\n', message: /solution\.go:3:\d+/ },
  java: { source: 'class Solution {\n    public int[] twoSum(int[] nums, int target) {\n        return new int[] {0, 1}\n    }\n}\n', message: /Solution\.java:3: error/ },
  javascript: { source: 'var twoSum = function(nums, target) {\n    const x = 1;\n    return [0, 1;\n};\n', message: /solution\.js:3/ },
};

const RUN_MEMORY_MB = 256;

interface Built {
  compileOutput: string;
  compiled: boolean;
  runs: RunResult[];
}

describe('function-problem drivers, compiled and run in the runtime images', () => {
  let moduleRef: TestingModule;
  let launcher: SandboxLauncher;
  let runSpecs: RunSpecs;
  let sandboxSpecs: SandboxSpecs;
  const catalog = LanguageCatalog.load();

  beforeAll(async () => {
    const env = { ...process.env, WORKER_ID: `e2e-fn-${randomBytes(4).toString('hex')}`, SANDBOX_POOL_SIZE: '0' };
    moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ load: [SandboxConfig, JudgingConfig, WorkerConfig, MetricsConfig], env }), MetricsModule.forRoot({ app: 'worker' }), SandboxModule],
      providers: [RunSpecs, SandboxSpecs, ProgramRunner],
    }).compile();
    moduleRef.useLogger(['error']);
    await moduleRef.init();
    launcher = moduleRef.get(SandboxLauncher);
    runSpecs = moduleRef.get(RunSpecs);
    sandboxSpecs = moduleRef.get(SandboxSpecs);
  });

  afterAll(async () => {
    await moduleRef?.close();
  });

  /** Writes the program into a fresh sandbox, compiles it once, then runs it on each input. */
  async function build(language: Language, signature: FunctionSignature, source: string, inputs: string[]): Promise<Built> {
    const definition = catalog.get(language);
    if (!definition) throw new Error(`language ${language} is not in the language catalog`);
    const program = functionProgram(language, signature, source);
    const limits = applyLanguageLimits({ cpuTimeMs: 5000, wallTimeMs: 15000, memoryMb: RUN_MEMORY_MB, outputKb: 1024 }, definition);
    // The judge's own sandbox and run-specs, so these runs are the judge's runs; stderr kept whole for the diagnostics.
    const session = await launcher.open({ ...sandboxSpecs.forSubmission(definition, RUN_MEMORY_MB), labels: { 'org.verdict.test': 'function-drivers' } });
    try {
      let compileOutput = '';
      if (!program.compile) for (const file of program.files) await session.writeFile(file.path, file.content);
      else {
        const compiled = await moduleRef.get(ProgramRunner).compile(session, program.files, program.compile, 'submission');
        compileOutput = compiled.output;
        if (compiled.failure) return { compileOutput, compiled: false, runs: [] };
      }
      const runs: RunResult[] = [];
      for (const [i, input] of inputs.entries()) {
        await session.writeFile(`input-${i}.json`, input);
        runs.push(await session.run({ ...runSpecs.submission(program.run, limits, `input-${i}.json`), stderrMaxBytes: 64 * 1024 }));
      }
      return { compileOutput, compiled: true, runs };
    } finally {
      await session.close();
    }
  }

  const text = (buffer: Buffer) => buffer.toString('utf8');
  /** Compiled, or the compiler's output in the failure message. */
  const expectCompiled = (built: Built) => expect(built.compiled ? 'compiled' : built.compileOutput).toBe('compiled');

  it('covers every language that supports function problems, each in the language catalog', () => {
    expect([...FUNCTION_LANGUAGES].sort()).toEqual([...LANGUAGES].sort());
    for (const language of LANGUAGES) expect(catalog.get(language)).toBeDefined();
  });

  describe.each(LANGUAGES)('%s', (language) => {
    it.each(Object.entries(CASES))('%s: a correct solution is accepted on every test', async (_name, fnCase) => {
      const built = await build(language, fnCase.signature, fnCase.solutions[language], fnCase.tests.map(([input]) => input));
      expectCompiled(built);
      const checker = fnCase.checker ?? { type: 'json' };
      for (const [i, run] of built.runs.entries()) {
        const [input, answer] = fnCase.tests[i];
        const outcome = { input, exitCode: run.exitCode, signal: run.signal, stderr: text(run.stderr) };
        const check = await CHECKERS.json.check(chunksOf(Buffer.from(answer)), run.stdout, checker);
        expect({ ...outcome, check }).toEqual({ ...outcome, exitCode: 0, signal: null, check: ACCEPTED });
      }
    });

    it('keeps what the solution prints out of the result: it goes to stderr', async () => {
      const built = await build(language, TWO_SUM, CASES['two-sum (int[], int → int[])'].solutions[language], ['[[2,7,11,15], 9]']);
      const [run] = built.runs;
      expect(text(run.stdout)).toBe('[0,1]\n');
      expect(text(run.stderr)).toMatch(/looking at/);
    });

    it('reports a wrong return type clearly: a compile error in static languages, a driver message in dynamic ones', async () => {
      const wrong = WRONG_RETURN_TYPE[language];
      const built = await build(language, TWO_SUM, wrong.source, ['[[2,7,11,15], 9]']);
      if (wrong.compileError) {
        expect(built.compiled).toBe(false);
        expect(built.compileOutput).toMatch(wrong.compileError);
      } else {
        expect(built.compiled).toBe(true);
        const [run] = built.runs;
        expect({ exitCode: run.exitCode, stdout: text(run.stdout) }).toEqual({ exitCode: 1, stdout: '' });
        expect(driverDiagnostic(text(run.stderr))).toBe(wrong.runError);
      }
    });

    it('ends with a runtime error when the function throws, showing the user\'s message and line', async () => {
      const built = await build(language, TWO_SUM, THROWS[language].source, ['[[2,7,11,15], 9]']);
      expectCompiled(built);
      const [run] = built.runs;
      expect(run.exitCode === 0 && run.signal === null).toBe(false);
      expect(text(run.stdout)).toBe('');
      expect(text(run.stderr)).toMatch(/no pair sums to target/);
      expect(text(run.stderr)).toMatch(THROWS[language].trace);
      expect(text(run.stderr)).not.toMatch(/verdict-driver/);
    });

    it('points a syntax error at the line of the user\'s own file', async () => {
      const built = await build(language, TWO_SUM, SYNTAX_ERROR[language].source, []);
      expect(built.compiled).toBe(false);
      expect(built.compileOutput).toMatch(SYNTAX_ERROR[language].message);
    });

    it('gives starter code that compiles with the driver and runs without crashing it', async () => {
      const signature = sig('mergeKLists', [['lists', 'ListNode[]'], ['grid', 'double[][]'], ['label', 'string'], ['flag', 'bool'], ['big', 'long']], 'TreeNode[]');
      const built = await build(language, signature, starterCode(language, signature), ['[[[1,4],[2]], [[0.5]], "x", true, 12]']);
      expectCompiled(built);
      const [run] = built.runs;
      // Static languages return an empty array; Python's `pass` and JavaScript's empty body return nothing.
      const outcome = run.exitCode === 0 ? text(run.stdout) : text(run.stderr).trim();
      expect(outcome).toMatch(/^(\[\]\n|verdict-driver: mergeKLists returned (None|undefined), expected TreeNode\[\])$/);
    });
  });
});
