// Verdict's C++ driver for function problems: everything but the signature. Written to the sandbox
// as prelude.hpp; the generated driver.cpp includes it, defines verdict::FUNCTION, includes the
// user's solution.cpp and ends with main(), which declares the parameters, reads them
// (verdict::read_arguments), calls Solution's method and prints what it returns (verdict::emit).
// What the user's code may rely on comes first, as on LeetCode: the whole standard library, `using
// namespace std`, the node structs. The driver's JSON reader and writer come before the user's
// code too, so that nothing the user declares or #defines can change them. Faults of the test
// data or of the returned value end the run with exit code 1 and one line "verdict-driver: ..." on
// stderr. Compiled and run on its own, with selftest.cpp, in CI (test/driver-preludes.e2e-spec.ts).
#include <bits/stdc++.h>
using namespace std;

// The node types, as LeetCode defines them (starter code shows these lines).
struct ListNode {
    int val;
    ListNode *next;
    ListNode() : val(0), next(nullptr) {}
    ListNode(int x) : val(x), next(nullptr) {}
    ListNode(int x, ListNode *next) : val(x), next(next) {}
};

struct TreeNode {
    int val;
    TreeNode *left;
    TreeNode *right;
    TreeNode() : val(0), left(nullptr), right(nullptr) {}
    TreeNode(int x) : val(x), left(nullptr), right(nullptr) {}
    TreeNode(int x, TreeNode *left, TreeNode *right) : val(x), left(left), right(right) {}
};

namespace verdict {

// The function's name, for messages about what it returned: defined by the generated driver.cpp.
extern const char* const FUNCTION;
constexpr const char* PREFIX = "verdict-driver:";

// The result goes to the original stdout; whatever the solution prints goes to stderr. This runs
// before any static initializer of the user's code.
inline int result_fd = 1;
__attribute__((constructor(101))) inline void keep_stdout_for_the_result() {
    result_fd = ::dup(1);
    ::dup2(2, 1);
}

[[noreturn]] inline void fail(const std::string& message) {
    std::fflush(stdout);
    const std::string line = std::string(PREFIX) + " " + message + "\n";
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::exit(1);
}

// Where a value sits: the argument's name (or the returned value) and the indices into it.
struct Path {
    const char* root;
    const Path* parent;
    std::size_t index;
    Path at(std::size_t i) const { return Path{root, this, i}; }
    std::string text() const { return parent ? parent->text() + "[" + std::to_string(index) + "]" : std::string(root); }
};

class Reader {
public:
    explicit Reader(const std::string& text) : text_(text) {}

    bool next_is(char c) {
        skip_space();
        return at_ < text_.size() && text_[at_] == c;
    }
    void advance() { ++at_; }
    void expect(char c, const Path& path, const char* what) {
        if (!next_is(c)) fail("argument " + path.text() + ": expected " + what + " " + where());
        ++at_;
    }
    bool null() {
        skip_space();
        if (text_.compare(at_, 4, "null") != 0) return false;
        at_ += 4;
        return true;
    }
    std::string number(const Path& path, const char* type) {
        skip_space();
        const std::size_t start = at_;
        while (at_ < text_.size() && std::strchr("+-.0123456789eE", text_[at_]) != nullptr && text_[at_] != '\0') ++at_;
        if (at_ == start) fail("argument " + path.text() + ": expected " + type + " " + where());
        return text_.substr(start, at_ - start);
    }
    bool boolean(const Path& path) {
        skip_space();
        if (text_.compare(at_, 4, "true") == 0) { at_ += 4; return true; }
        if (text_.compare(at_, 5, "false") == 0) { at_ += 5; return false; }
        fail("argument " + path.text() + ": expected bool " + where());
    }
    std::string string(const Path& path) {
        expect('"', path, "string");
        std::string out;
        for (;;) {
            if (at_ >= text_.size()) fail("argument " + path.text() + ": unterminated string");
            const char c = text_[at_++];
            if (c == '"') return out;
            if (c != '\\') { out += c; continue; }
            if (at_ >= text_.size()) fail("argument " + path.text() + ": unterminated string");
            const char e = text_[at_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned code = hex4(path);
                    if (code >= 0xD800 && code <= 0xDBFF && text_.compare(at_, 2, "\\u") == 0) {
                        at_ += 2;
                        const unsigned low = hex4(path);
                        if (low >= 0xDC00 && low <= 0xDFFF) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                        } else {
                            append_utf8(out, code);
                            code = low;
                        }
                    }
                    append_utf8(out, code);
                    break;
                }
                default: fail("argument " + path.text() + ": invalid escape in string");
            }
        }
    }
    // A missing or extra argument, or something that is no array at all.
    void list_punctuation(char c, const char* expected) {
        if (!next_is(c)) fail(std::string("the test input must be ") + expected + ", " + where());
        ++at_;
    }
    void end() {
        skip_space();
        if (at_ != text_.size()) fail("the test input has text after the argument list " + where());
    }
    std::string where() {
        skip_space();
        if (at_ >= text_.size()) return "at the end of the input";
        return "at offset " + std::to_string(at_) + " (found \"" + text_.substr(at_, 20) + "\")";
    }

private:
    void skip_space() {
        while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\n' || text_[at_] == '\r' || text_[at_] == '\t')) ++at_;
    }
    unsigned hex4(const Path& path) {
        if (at_ + 4 > text_.size()) fail("argument " + path.text() + ": truncated \\u escape");
        unsigned value = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = text_[at_++];
            value <<= 4;
            if (c >= '0' && c <= '9') value |= unsigned(c - '0');
            else if (c >= 'a' && c <= 'f') value |= unsigned(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') value |= unsigned(c - 'A' + 10);
            else fail("argument " + path.text() + ": invalid \\u escape");
        }
        return value;
    }
    static void append_utf8(std::string& out, unsigned code) {
        if (code < 0x80) {
            out += char(code);
        } else if (code < 0x800) {
            out += char(0xC0 | (code >> 6));
            out += char(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += char(0xE0 | (code >> 12));
            out += char(0x80 | ((code >> 6) & 0x3F));
            out += char(0x80 | (code & 0x3F));
        } else {
            out += char(0xF0 | (code >> 18));
            out += char(0x80 | ((code >> 12) & 0x3F));
            out += char(0x80 | ((code >> 6) & 0x3F));
            out += char(0x80 | (code & 0x3F));
        }
    }

    const std::string& text_;
    std::size_t at_ = 0;
};

// Integers are read from their digits, never through a double, so every long is exact; a whole
// number written with a fraction or exponent (3.0, 1e3) is accepted too.
inline long long integer(Reader& reader, const Path& path, long long low, long long high, const char* type) {
    const std::string token = reader.number(path, type);
    char* end = nullptr;
    errno = 0;
    long long value = std::strtoll(token.c_str(), &end, 10);
    bool overflow = errno == ERANGE;
    if (*end != '\0') {
        const double real = std::strtod(token.c_str(), &end);
        if (*end != '\0' || real != std::floor(real)) fail("argument " + path.text() + ": " + token + " is not " + (std::strcmp(type, "int") == 0 ? "an " : "a ") + type);
        overflow = !(real >= -9223372036854775808.0 && real < 9223372036854775808.0);
        value = overflow ? 0 : static_cast<long long>(real);
    }
    if (overflow || value < low || value > high) fail("argument " + path.text() + ": " + token + " is out of range for " + type);
    return value;
}

inline void read(Reader& reader, int& value, const Path& path) {
    value = static_cast<int>(integer(reader, path, INT_MIN, INT_MAX, "int"));
}
inline void read(Reader& reader, long long& value, const Path& path) {
    value = integer(reader, path, LLONG_MIN, LLONG_MAX, "long");
}
inline void read(Reader& reader, double& value, const Path& path) {
    const std::string token = reader.number(path, "double");
    char* end = nullptr;
    value = std::strtod(token.c_str(), &end);
    if (*end != '\0') fail("argument " + path.text() + ": " + token + " is not a number");
}
inline void read(Reader& reader, bool& value, const Path& path) { value = reader.boolean(path); }
inline void read(Reader& reader, std::string& value, const Path& path) { value = reader.string(path); }

template <class ReadElement>
void read_array(Reader& reader, const Path& path, const char* what, ReadElement read_element) {
    reader.expect('[', path, what);
    if (reader.next_is(']')) {
        reader.advance();
        return;
    }
    for (std::size_t i = 0;; ++i) {
        read_element(path.at(i));
        if (reader.next_is(',')) {
            reader.advance();
            continue;
        }
        reader.expect(']', path, "',' or ']'");
        return;
    }
}

inline void read(Reader& reader, ListNode*& head, const Path& path) {
    std::vector<int> values;
    read_array(reader, path, "a ListNode (an array of values)", [&](const Path& at) {
        int value;
        read(reader, value, at);
        values.push_back(value);
    });
    head = nullptr;
    for (auto it = values.rbegin(); it != values.rend(); ++it) head = new ListNode(*it, head);
}

inline void read(Reader& reader, TreeNode*& root, const Path& path) {
    std::vector<TreeNode*> nodes;
    read_array(reader, path, "a TreeNode (an array in level order)", [&](const Path& at) {
        int value;
        if (reader.null()) {
            nodes.push_back(nullptr);
        } else {
            read(reader, value, at);
            nodes.push_back(new TreeNode(value));
        }
    });
    root = nodes.empty() ? nullptr : nodes[0];
    if (nodes.empty()) return;
    if (!root) fail("argument " + path.text() + "[0] is null: the root of a tree cannot be (an empty tree is [])");
    std::deque<TreeNode*> parents{root};
    for (std::size_t i = 1; i < nodes.size();) {
        if (parents.empty()) fail("argument " + path.at(i).text() + " has no parent: every node before it is null");
        TreeNode* parent = parents.front();
        parents.pop_front();
        for (TreeNode** child : {&parent->left, &parent->right}) {
            if (i >= nodes.size()) break;
            *child = nodes[i++];
            if (*child) parents.push_back(*child);
        }
    }
}

template <class T>
void read(Reader& reader, std::vector<T>& values, const Path& path) {
    read_array(reader, path, "an array", [&](const Path& at) {
        T value{};
        verdict::read(reader, value, at);
        values.push_back(std::move(value));
    });
}

inline std::string read_stdin() {
    std::string text;
    char buffer[1 << 16];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0) text.append(buffer, n);
    return text;
}

// The test's input (stdin): the argument list, one JSON value per parameter, read into `values` in
// order; `names` are the parameters' names, for messages.
template <class... T>
void read_arguments(std::initializer_list<const char*> names, T&... values) {
    const std::string input = read_stdin();
    Reader reader(input);
    std::string expected = "a JSON array of " + std::to_string(names.size()) + " argument(s) (";
    for (std::size_t i = 0; i < names.size(); ++i) expected += (i > 0 ? ", " : "") + std::string(names.begin()[i]);
    expected += ")";
    reader.list_punctuation('[', expected.c_str());
    std::size_t i = 0;
    auto read_next = [&](auto& value) {
        if (i > 0) reader.list_punctuation(',', expected.c_str());
        verdict::read(reader, value, Path{names.begin()[i++], nullptr, 0});
    };
    (read_next(values), ...);
    reader.list_punctuation(']', expected.c_str());
    reader.end();
}

[[noreturn]] inline void returned_badly(const Path& at, const std::string& what, const std::string& why) {
    const std::string where = at.text();
    fail(std::string(FUNCTION) + " returned " + what + (where.empty() ? "" : " at " + where) + why);
}

inline void write(std::string& out, int value, const Path&) { out += std::to_string(value); }
inline void write(std::string& out, long long value, const Path&) { out += std::to_string(value); }
inline void write(std::string& out, double value, const Path& at) {
    if (!std::isfinite(value)) returned_badly(at, std::isnan(value) ? "NaN" : "an infinite double", ", which JSON cannot represent");
    char buffer[64];
    // Shortest text that reads back as the same double.
    const auto written = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, written.ptr);
}
inline void write(std::string& out, bool value, const Path&) { out += value ? "true" : "false"; }
inline void write(std::string& out, const std::string& value, const Path&) {
    out += '"';
    for (const unsigned char c : value) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char escape[8];
                    std::snprintf(escape, sizeof escape, "\\u%04x", c);
                    out += escape;
                } else {
                    out += char(c);
                }
        }
    }
    out += '"';
}
inline void write(std::string& out, ListNode* head, const Path& at) {
    std::unordered_set<const ListNode*> seen;
    out += '[';
    std::size_t i = 0;
    for (const ListNode* node = head; node; node = node->next, ++i) {
        if (!seen.insert(node).second) returned_badly(at, "a linked list with a cycle", " (node " + std::to_string(i) + " is an earlier node again)");
        if (i) out += ',';
        out += std::to_string(node->val);
    }
    out += ']';
}
inline void write(std::string& out, TreeNode* root, const Path& at) {
    std::vector<const TreeNode*> order;
    std::unordered_set<const TreeNode*> seen;
    if (root) {
        order.push_back(root);
        seen.insert(root);
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (!order[i]) continue;
        for (const TreeNode* child : {order[i]->left, order[i]->right}) {
            if (child && !seen.insert(child).second) returned_badly(at, "a tree in which a node is reached twice", " (a cycle or a shared subtree)");
            order.push_back(child);
        }
    }
    while (!order.empty() && !order.back()) order.pop_back();
    out += '[';
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (i) out += ',';
        out += order[i] ? std::to_string(order[i]->val) : "null";
    }
    out += ']';
}
template <class T>
void write(std::string& out, const std::vector<T>& values, const Path& at) {
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        const T& value = values[i];
        verdict::write(out, value, at.at(i));
    }
    out += ']';
}

template <class T>
void emit(const T& value) {
    std::string out;
    verdict::write(out, value, Path{"", nullptr, 0});
    out += '\n';
    std::fflush(stdout);
    for (std::size_t done = 0; done < out.size();) {
        const ssize_t n = ::write(result_fd, out.data() + done, out.size() - done);
        if (n <= 0) fail("cannot write the result");
        done += std::size_t(n);
    }
}

}  // namespace verdict
