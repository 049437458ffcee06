// Interactor of "guess-number", following testlib's conventions: `interactor <input> <output>`; what
// the contestant prints arrives on stdin, what this prints goes to the contestant's stdin; exit 0
// accepted, 1 wrong answer, 2 presentation error, 3 interactor failure (the test is wrong), with
// the explanation on stderr. The number of guesses used goes to <output>.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

namespace {

enum Verdict { OK = 0, WA = 1, PE = 2, FAIL = 3 };

[[noreturn]] void verdict(Verdict code, const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::exit(code);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) verdict(FAIL, "usage: interactor <input> <output>");
  std::ifstream input(argv[1]);
  std::ofstream result(argv[2]);
  long long n = 0, secret = 0;
  if (!(input >> n >> secret) || n < 1 || secret < 1 || secret > n) verdict(FAIL, "input: expected n and 1 <= secret <= n");
  const int max_guesses = 64 - __builtin_clzll(static_cast<unsigned long long>(n));  // ceil(log2(n + 1))

  std::cout << n << std::endl;
  for (int guesses = 1;; guesses++) {
    std::string query;
    long long x = 0;
    if (!(std::cin >> query >> x)) verdict(PE, "expected \"? x\", got the end of the output");
    if (query != "?") verdict(PE, "expected \"? x\", got \"" + query + "\"");
    if (x < 1 || x > n) verdict(WA, "guess " + std::to_string(x) + " is outside [1, " + std::to_string(n) + "]");
    if (x == secret) {
      std::cout << "=" << std::endl;
      result << guesses << std::endl;  // std::exit skips destructors: flush now
      verdict(OK, "found " + std::to_string(secret) + " in " + std::to_string(guesses) + " guesses");
    }
    if (guesses >= max_guesses) verdict(WA, "no guesses left after " + std::to_string(guesses) + " (at most " + std::to_string(max_guesses) + ")");
    std::cout << (secret < x ? "<" : ">") << std::endl;
  }
}
