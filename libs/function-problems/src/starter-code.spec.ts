import { FunctionSignature } from '@verdict/contracts';
import { UnsupportedFunctionLanguageError, starterCode } from './function-program';

const TWO_SUM: FunctionSignature = {
  functionName: 'twoSum',
  parameters: [{ name: 'nums', type: 'int[]' }, { name: 'target', type: 'int' }],
  returnType: 'int[]',
};

describe('starterCode', () => {
  it.each([
    ['python', 'class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:\n        pass\n'],
    ['cpp', 'class Solution {\npublic:\n    vector<int> twoSum(vector<int>& nums, int target) {\n        return {};\n    }\n};\n'],
    ['go', 'func twoSum(nums []int, target int) []int {\n    return nil\n}\n'],
    ['java', 'class Solution {\n    public int[] twoSum(int[] nums, int target) {\n        return new int[0];\n    }\n}\n'],
    [
      'javascript',
      '/**\n * @param {number[]} nums\n * @param {number} target\n * @return {number[]}\n */\nvar twoSum = function(nums, target) {\n    \n};\n',
    ],
  ])('%s: the function with the problem\'s signature, as LeetCode writes it', (language, expected) => {
    expect(starterCode(language, TWO_SUM)).toBe(expected);
  });

  it.each([
    ['python', 'def reverseList(self, head: Optional[ListNode], k: int) -> Optional[ListNode]:', '# class ListNode:'],
    ['cpp', 'ListNode* reverseList(ListNode* head, long long k) {', ' * struct ListNode {'],
    ['go', 'func reverseList(head *ListNode, k int64) *ListNode {', ' * type ListNode struct {'],
    ['java', 'public ListNode reverseList(ListNode head, long k) {', ' * public class ListNode {'],
    ['javascript', 'var reverseList = function(head, k) {', ' * function ListNode(val, next) {'],
  ])('%s: node types as LeetCode declares them, their definition in a comment', (language, declaration, definition) => {
    const code = starterCode(language, { functionName: 'reverseList', parameters: [{ name: 'head', type: 'ListNode' }, { name: 'k', type: 'long' }], returnType: 'ListNode' });
    expect(code).toContain(declaration);
    expect(code).toContain(definition);
    expect(code).not.toContain('TreeNode');
  });

  it.each([
    ['python', 'List[List[str]]', 'List[Optional[TreeNode]]', '-> float'],
    ['cpp', 'vector<vector<string>>& grid', 'vector<TreeNode*>& roots', 'double f('],
    ['go', 'grid [][]string', 'roots []*TreeNode', ') float64 {'],
    ['java', 'String[][] grid', 'TreeNode[] roots', 'public double f('],
    ['javascript', '@param {string[][]} grid', '@param {TreeNode[]} roots', '@return {number}'],
  ])('%s: arrays, 2-D arrays and arrays of nodes', (language, ...fragments) => {
    const code = starterCode(language, { functionName: 'f', parameters: [{ name: 'grid', type: 'string[][]' }, { name: 'roots', type: 'TreeNode[]' }], returnType: 'double' });
    for (const fragment of fragments) expect(code).toContain(fragment);
  });

  it('refuses a language without a driver', () => {
    expect(() => starterCode('c', TWO_SUM)).toThrow(UnsupportedFunctionLanguageError);
  });
});
