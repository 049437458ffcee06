import { SubmissionView, Verdict } from '@verdict/contracts';
import { join } from 'node:path';
import { EXAMPLE_PROBLEMS, jsonPackageOf } from './support/problem-packages';
import { VerdictStack } from './support/verdict-stack';

/**
 * Every verdict of a function problem (two-sum, LeetCode style) in every language with a driver,
 * through the API: a wrong result, a loop, a runaway allocation, an exception and a compile error
 * must each get their verdict from the judge, with the driver in between never in the way. (AC in
 * every language: test/example-problems.e2e-spec.ts.) Judged lazily, so each stops at its first
 * failing test.
 */
const CASES: Record<string, Record<Exclude<Verdict, 'AC' | 'PE' | 'PA' | 'OLE' | 'IE'>, string>> = {
  python: {
    WA: 'class Solution:\n    def twoSum(self, nums, target):\n        return [0, 0]\n',
    TLE: 'class Solution:\n    def twoSum(self, nums, target):\n        while True:\n            pass\n',
    MLE: 'class Solution:\n    def twoSum(self, nums, target):\n        x = bytearray(b"\\x01") * (1 << 30)\n        return [x[0], 0]\n',
    RE: 'class Solution:\n    def twoSum(self, nums, target):\n        raise ValueError("boom")\n',
    CE: 'class Solution:\n    def twoSum(self, nums, target) return [0, 1]\n',
  },
  cpp: {
    WA: 'class Solution {\npublic:\n    vector<int> twoSum(vector<int>& nums, int target) { return {0, 0}; }\n};\n',
    TLE: 'class Solution {\npublic:\n    vector<int> twoSum(vector<int>& nums, int target) { volatile long x = 0; for (;;) x++; }\n};\n',
    MLE: 'class Solution {\npublic:\n    vector<int> twoSum(vector<int>& nums, int target) { vector<char> v(1 << 30, 1); return {v[5], 0}; }\n};\n',
    RE: 'class Solution {\npublic:\n    vector<int> twoSum(vector<int>& nums, int target) { throw runtime_error("boom"); }\n};\n',
    CE: 'class Solution {\npublic:\n    vector<int> twoSum(vector<int>& nums, int target) { return undefinedThing; }\n};\n',
  },
  go: {
    WA: 'func twoSum(nums []int, target int) []int { return []int{0, 0} }\n',
    TLE: 'func twoSum(nums []int, target int) []int { x := 0; for { x++ } }\n',
    MLE: 'func twoSum(nums []int, target int) []int { b := make([]byte, 1<<30); for i := 0; i < len(b); i += 4096 { b[i] = 1 }; return []int{int(b[4096]), 0} }\n',
    RE: 'func twoSum(nums []int, target int) []int { panic("boom") }\n',
    CE: 'func twoSum(nums []int, target int) []int { return undefinedThing }\n',
  },
  java: {
    WA: 'class Solution {\n    public int[] twoSum(int[] nums, int target) { return new int[] { 0, 0 }; }\n}\n',
    TLE: 'class Solution {\n    public int[] twoSum(int[] nums, int target) { while (true) {} }\n}\n',
    MLE: 'class Solution {\n    public int[] twoSum(int[] nums, int target) { List<byte[]> all = new ArrayList<>(); while (true) all.add(new byte[1 << 20]); }\n}\n',
    RE: 'class Solution {\n    public int[] twoSum(int[] nums, int target) { throw new IllegalStateException("boom"); }\n}\n',
    CE: 'class Solution {\n    public int[] twoSum(int[] nums, int target) { return undefinedThing; }\n}\n',
  },
  javascript: {
    WA: 'var twoSum = function(nums, target) { return [0, 0]; };\n',
    TLE: 'var twoSum = function(nums, target) { for (;;) {} };\n',
    MLE: 'var twoSum = function(nums, target) { const all = []; for (;;) all.push(new Array(1e6).fill(1)); };\n',
    RE: 'var twoSum = function(nums, target) { throw new Error("boom"); };\n',
    CE: 'var twoSum = function(nums, target) { return [0, 0];\n',
  },
};

describe('function problems: every verdict in every driver language', () => {
  const stack = new VerdictStack({ WORKER_CONCURRENCY: '2' });
  const results = new Map<string, Promise<SubmissionView>>();

  beforeAll(async () => {
    await stack.start();
    // A memory hog's page faults, and the kernel's reclaim once it nears the limit, are CPU time of its
    // own, more of it on a loaded host: CPU room enough that the memory limit is what stops each MLE.
    const lazy = await jsonPackageOf(join(EXAMPLE_PROBLEMS, 'two-sum'), { id: 'two-sum-lazy', feedback: 'full', stopOnFirstFailure: true, limits: { cpuTimeMs: 3000, memoryMb: 128 } });
    const created = await stack.post('/v1/problems', lazy);
    if (created.status !== 201) throw new Error(`two-sum-lazy: ${created.status} ${JSON.stringify(created.body)}`);
    for (const [language, cases] of Object.entries(CASES)) {
      for (const [verdict, source] of Object.entries(cases)) {
        const judged = stack.submit({ problemId: 'two-sum-lazy', language, source }).then((id) => stack.waitForResult(id, { timeoutMs: 170000 }));
        results.set(`${language} ${verdict}`, judged);
      }
    }
  });

  afterAll(() => stack.stop());

  const table = Object.entries(CASES).flatMap(([language, cases]) => Object.keys(cases).map((verdict) => [language, verdict] as const));

  it.each(table)('%s: %s', async (language, verdict) => {
    const result = await results.get(`${language} ${verdict}`)!;
    // The whole story on failure: message, compiler output, the failing test.
    expect({ verdict: result.verdict, message: result.message, compileOutput: verdict === 'CE' ? null : result.compileOutput?.slice(0, 500), test: result.tests[0] && { verdict: result.tests[0].verdict, message: result.tests[0].message, stderr: result.tests[0].stderr.slice(0, 500) } }).toMatchObject({ verdict });
    if (verdict === 'CE') {
      expect(result.tests).toEqual([]);
      expect(result.compileOutput).toBeTruthy();
    } else {
      // Lazy: the first test failed, the rest were skipped.
      expect(result.tests).toHaveLength(1);
      expect(result.score).toBe(0);
    }
    if (verdict === 'RE') expect(result.tests[0].stderr).toMatch(/boom/);
  });
});
