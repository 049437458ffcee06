// Special judge of "any-divisor", following testlib's conventions so that any testlib-aware judge can
// run it: `checker <input> <output> <answer>`, exit 0 accepted, 1 wrong answer, 2 presentation
// error, 3 checker failure (the package is wrong), with the explanation on stderr. Written without
// testlib.h to keep the package self-contained.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

enum Verdict { OK = 0, WA = 1, PE = 2, FAIL = 3 };

[[noreturn]] void verdict(Verdict code, const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::exit(code);
}

bool parse_integer(const std::string& token, long long& value) {
  if (token.empty() || token.size() > 20) return false;
  char* end = nullptr;
  value = std::strtoll(token.c_str(), &end, 10);
  return *end == '\0';
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) verdict(FAIL, "usage: checker <input> <output> <answer>");
  std::ifstream input(argv[1]), output(argv[2]), answer(argv[3]);
  if (!input || !output || !answer) verdict(FAIL, "cannot open the input, output or answer file");

  long long n = 0;
  if (!(input >> n) || n < 2) verdict(FAIL, "input: expected an integer n >= 2");
  // The answer file says whether n has a divisor strictly between 1 and n: "composite" or "prime".
  std::string expected;
  if (!(answer >> expected) || (expected != "composite" && expected != "prime")) verdict(FAIL, "answer: expected composite or prime");

  std::string token, extra;
  if (!(output >> token)) verdict(PE, "no output: expected a divisor, or -1");
  long long d = 0;
  if (!parse_integer(token, d)) verdict(PE, "expected an integer, got \"" + token + "\"");
  if (output >> extra) verdict(PE, "unexpected output after the answer: \"" + extra + "\"");

  if (d == -1) {
    if (expected == "prime") verdict(OK, std::to_string(n) + " is prime");
    verdict(WA, "answered -1, but " + std::to_string(n) + " has a divisor");
  }
  if (d <= 1 || d >= n || n % d != 0) verdict(WA, std::to_string(d) + " is not a divisor of " + std::to_string(n) + " between 2 and n - 1");
  if (expected == "prime") verdict(FAIL, "the answer says prime, but " + std::to_string(d) + " divides " + std::to_string(n));
  verdict(OK, std::to_string(d) + " divides " + std::to_string(n));
}
