import { SubmissionView } from '@verdict/contracts';
import { join } from 'node:path';
import { EXAMPLE_PROBLEMS, jsonPackageOf } from './support/problem-packages';
import { VerdictStack } from './support/verdict-stack';

/**
 * The example problems of examples/problems, uploaded through the API and judged end to end by a
 * real worker: a stdin problem, a function problem in all five driver languages, a special judge
 * (testlib checker), an interactive problem (C++ interactor) and subtasks with a dependency. Each
 * solution is what a contestant would send, and gets the verdict and score it deserves.
 */
const SOLUTIONS = {
  aPlusB: {
    ac: { language: 'python', source: 'a, b = map(int, input().split())\nprint(a + b)\n' },
    wa: { language: 'cpp', source: '#include <cstdio>\nint main(){long long a,b;scanf("%lld %lld",&a,&b);printf("%lld\\n",a-b);}\n' },
  },
  arraySum: {
    ac: { language: 'cpp', source: '#include <cstdio>\nint main(){int n;long long s=0,x;scanf("%d",&n);while(n--){scanf("%lld",&x);s+=x;}printf("%lld\\n",s);}\n' },
    smallOnly: { language: 'python', source: 'n = int(input())\na = list(map(int, input().split()))\nprint(sum(a) if n <= 10 else 0)\n' },
  },
  twoSum: {
    python: [
      'class Solution:',
      '    def twoSum(self, nums: List[int], target: int) -> List[int]:',
      '        print("debugging output must not matter")',
      '        seen = {}',
      '        for i, x in enumerate(nums):',
      '            if target - x in seen:',
      '                return [i, seen[target - x]]',
      '            seen[x] = i',
    ].join('\n'),
    cpp: [
      'class Solution {',
      'public:',
      '    vector<int> twoSum(vector<int>& nums, int target) {',
      '        unordered_map<int, int> seen;',
      '        for (int i = 0; i < (int)nums.size(); i++) {',
      '            auto it = seen.find(target - nums[i]);',
      '            if (it != seen.end()) return {it->second, i};',
      '            seen[nums[i]] = i;',
      '        }',
      '        return {};',
      '    }',
      '};',
    ].join('\n'),
    go: [
      'import "fmt"',
      'func twoSum(nums []int, target int) []int {',
      '    fmt.Println("debugging output must not matter")',
      '    seen := map[int]int{}',
      '    for i, x := range nums {',
      '        if j, ok := seen[target-x]; ok { return []int{j, i} }',
      '        seen[x] = i',
      '    }',
      '    return nil',
      '}',
    ].join('\n'),
    java: [
      'class Solution {',
      '    public int[] twoSum(int[] nums, int target) {',
      '        Map<Integer, Integer> seen = new HashMap<>();',
      '        for (int i = 0; i < nums.length; i++) {',
      '            Integer j = seen.get(target - nums[i]);',
      '            if (j != null) return new int[] { j, i };',
      '            seen.put(nums[i], i);',
      '        }',
      '        return new int[0];',
      '    }',
      '}',
    ].join('\n'),
    javascript: [
      'var twoSum = function(nums, target) {',
      '    const seen = new Map();',
      '    for (let i = 0; i < nums.length; i++) {',
      '        if (seen.has(target - nums[i])) return [seen.get(target - nums[i]), i];',
      '        seen.set(nums[i], i);',
      '    }',
      '};',
    ].join('\n'),
  } as Record<string, string>,
  anyDivisor: {
    smallest: { language: 'python', source: 'n = int(input())\nd = next((d for d in range(2, int(n ** 0.5) + 1) if n % d == 0), -1)\nprint(d)\n' },
    largest: { language: 'python', source: 'n = int(input())\nd = next((d for d in range(2, int(n ** 0.5) + 1) if n % d == 0), -1)\nprint(n // d if d > 0 else -1)\n' },
    itself: { language: 'python', source: 'print(input())\n' },
    words: { language: 'python', source: 'input()\nprint("no idea")\n' },
  },
  guessNumber: {
    cpp: {
      language: 'cpp',
      source: '#include <iostream>\n#include <string>\nint main(){long long n;std::cin>>n;long long lo=1,hi=n;while(lo<=hi){long long m=(lo+hi)/2;std::cout<<"? "<<m<<std::endl;std::string r;std::cin>>r;if(r=="=")return 0;if(r=="<")hi=m-1;else lo=m+1;}}\n',
    },
    python: {
      language: 'python',
      source: 'n = int(input())\nlo, hi = 1, n\nwhile lo <= hi:\n    m = (lo + hi) // 2\n    print("?", m, flush=True)\n    r = input()\n    if r == "=":\n        break\n    lo, hi = (lo, m - 1) if r == "<" else (m + 1, hi)\n',
    },
    linear: { language: 'python', source: 'n = int(input())\nfor g in range(1, n + 1):\n    print("?", g, flush=True)\n    if input() == "=":\n        break\n' },
    silent: { language: 'python', source: 'import time\ninput()\ntime.sleep(60)\n' },
  },
};

describe('the example problems, judged end to end', () => {
  const stack = new VerdictStack({ WORKER_CONCURRENCY: '2' });
  const results = new Map<string, Promise<SubmissionView>>();
  const judged = (key: string) => results.get(key)!;

  beforeAll(async () => {
    await stack.start();
    for (const name of ['a-plus-b', 'array-sum', 'two-sum', 'any-divisor', 'guess-number']) {
      const response = await stack.post('/v1/problems', await jsonPackageOf(join(EXAMPLE_PROBLEMS, name)));
      if (response.status !== 201) throw new Error(`${name}: ${response.status} ${JSON.stringify(response.body)}`);
    }
    const submit = (key: string, problemId: string, body: { language: string; source: string }) =>
      results.set(key, stack.submit({ ...body, problemId }).then((id) => stack.waitForResult(id, { timeoutMs: 170000 })));
    submit('a-plus-b ac', 'a-plus-b', SOLUTIONS.aPlusB.ac);
    submit('a-plus-b wa', 'a-plus-b', SOLUTIONS.aPlusB.wa);
    submit('array-sum ac', 'array-sum', SOLUTIONS.arraySum.ac);
    submit('array-sum small only', 'array-sum', SOLUTIONS.arraySum.smallOnly);
    for (const [language, source] of Object.entries(SOLUTIONS.twoSum)) submit(`two-sum ${language}`, 'two-sum', { language, source });
    submit('two-sum wrong', 'two-sum', { language: 'python', source: 'class Solution:\n    def twoSum(self, nums, target):\n        return [0, 0]\n' });
    submit('two-sum wrong type', 'two-sum', { language: 'python', source: 'class Solution:\n    def twoSum(self, nums, target):\n        return "0 1"\n' });
    for (const [key, body] of Object.entries(SOLUTIONS.anyDivisor)) submit(`any-divisor ${key}`, 'any-divisor', body);
    for (const [key, body] of Object.entries(SOLUTIONS.guessNumber)) submit(`guess-number ${key}`, 'guess-number', body);
  });

  afterAll(() => stack.stop());

  describe('a stdin problem (a-plus-b)', () => {
    it('accepts a right solution with every point, recording the problem version', async () => {
      expect(await judged('a-plus-b ac')).toMatchObject({ status: 'completed', verdict: 'AC', score: 100, maxScore: 100, problem: { id: 'a-plus-b', version: 1 } });
    });

    it('gives a wrong one WA, naming the first failing test', async () => {
      const result = await judged('a-plus-b wa');
      expect(result).toMatchObject({ verdict: 'WA', firstFailedTest: { verdict: 'WA' } });
      expect(result.score).toBeLessThan(100);
    });
  });

  describe('subtasks with a dependency (array-sum)', () => {
    it('gives a right solution every subtask', async () => {
      const result = await judged('array-sum ac');
      expect(result).toMatchObject({ verdict: 'AC', score: 100, maxScore: 100 });
      expect(result.subtasks.map((s) => [s.name, s.points])).toEqual(expect.arrayContaining([['small', 30], ['large', 70]]));
    });

    it('gives a solution right only for small inputs the small subtask', async () => {
      const result = await judged('array-sum small only');
      expect(result).toMatchObject({ verdict: 'WA', score: 30, maxScore: 100 });
    });
  });

  describe('a function problem (two-sum), in every driver language', () => {
    it.each(Object.keys(SOLUTIONS.twoSum))('%s: accepted, whatever it prints itself', async (language) => {
      const result = await judged(`two-sum ${language}`);
      expect({ verdict: result.verdict, compileOutput: result.verdict === 'CE' ? result.compileOutput : null, message: result.message }).toMatchObject({ verdict: 'AC' });
      expect(result).toMatchObject({ score: 100, passedTests: result.testCount });
    });

    it('gives a wrong result WA with where it differs, and a wrong return type a clear runtime error', async () => {
      expect(await judged('two-sum wrong')).toMatchObject({ verdict: 'WA' });
      const wrongType = await judged('two-sum wrong type');
      expect(wrongType).toMatchObject({ verdict: 'RE' });
      expect(wrongType.tests[0].message).toMatch(/twoSum returned a string, expected int\[\]/);
    });
  });

  describe('a special judge (any-divisor, testlib checker)', () => {
    it('accepts any right answer, not only the one in the answer file', async () => {
      expect(await judged('any-divisor smallest')).toMatchObject({ verdict: 'AC', score: 100 });
      expect(await judged('any-divisor largest')).toMatchObject({ verdict: 'AC', score: 100 });
    });

    it('gives a wrong answer WA and a malformed one PE, with the checker\'s message', async () => {
      const wrong = await judged('any-divisor itself');
      expect(wrong).toMatchObject({ verdict: 'WA' });
      expect(wrong.tests.find((t) => t.verdict === 'WA')!.message).toMatch(/is not a divisor/);
      const malformed = await judged('any-divisor words');
      expect(malformed).toMatchObject({ verdict: 'PE' });
      expect(malformed.tests[0].message).toMatch(/expected an integer/);
    });
  });

  describe('an interactive problem (guess-number, C++ interactor)', () => {
    it.each(['cpp', 'python'])('accepts binary search in %s', async (language) => {
      expect(await judged(`guess-number ${language}`)).toMatchObject({ verdict: 'AC', score: 100 });
    });

    it("gives a linear search the interactor's WA, and a program that never answers TLE", async () => {
      const linear = await judged('guess-number linear');
      expect(linear).toMatchObject({ verdict: 'WA' });
      expect(linear.tests.find((t) => t.verdict === 'WA')!.message).toMatch(/no guesses left/);
      const silent = await judged('guess-number silent');
      expect(silent).toMatchObject({ verdict: 'TLE' });
    });
  });

  it('leaves no sandbox behind', async () => {
    await Promise.allSettled(results.values());
    expect(await stack.leftoverContainers()).toEqual([]);
  });
});
