// Self-test of verdict_driver.hpp, run by test/driver-preludes.e2e-spec.ts in the C++ runtime image
// (compiled as the language catalog compiles a driver.cpp):
//
//   ./main MODE TYPE < argument-list.json
//
// does what a generated driver.cpp does for the signature selfTest(value: TYPE) -> TYPE, with a
// function that does what MODE says.
#include "verdict_driver.hpp"

const char* const verdict::FUNCTION = "selfTest";

namespace {

template <class T>
T read_value() {
    T value{};
    verdict::read_arguments({"value"}, value);
    return value;
}

template <class T>
int echo() {
    const T value = read_value<T>();
    // What the solution prints must not reach the result.
    std::printf("noise from printf\n");
    std::cout << "noise from cout" << std::endl;
    if (::write(1, "noise on fd 1\n", 14) != 14) return 3;
    verdict::emit(value);
    return 0;
}

// echo for a base type and its arrays: "int", "int[]", "int[][]".
template <class T>
int echo_with_arrays(const std::string& type, const std::string& base) {
    if (type == base) return echo<T>();
    if (type == base + "[]") return echo<std::vector<T>>();
    if (type == base + "[][]") return echo<std::vector<std::vector<T>>>();
    return -1;
}

int selftest(const std::string& mode, const std::string& type) {
    if (mode == "echo") {
        int done = echo_with_arrays<int>(type, "int");
        if (done < 0) done = echo_with_arrays<long long>(type, "long");
        if (done < 0) done = echo_with_arrays<double>(type, "double");
        if (done < 0) done = echo_with_arrays<bool>(type, "bool");
        if (done < 0) done = echo_with_arrays<std::string>(type, "string");
        if (done < 0) done = echo_with_arrays<ListNode*>(type, "ListNode");
        if (done < 0) done = echo_with_arrays<TreeNode*>(type, "TreeNode");
        if (done >= 0) return done;
    } else if (mode == "list-cycle" && type == "ListNode") {
        ListNode* head = read_value<ListNode*>();
        head->next->next->next = head->next;
        verdict::emit(head);
        return 0;
    } else if (mode == "shared-tree" && type == "TreeNode") {
        TreeNode* root = read_value<TreeNode*>();
        root->left = root->right = new TreeNode(9);
        verdict::emit(root);
        return 0;
    } else if (mode == "nan" && type == "double") {
        read_value<double>();
        verdict::emit(std::nan(""));
        return 0;
    } else if (mode == "infinity" && type == "double[]") {
        std::vector<double> values = read_value<std::vector<double>>();
        values.at(1) = std::numeric_limits<double>::infinity();
        verdict::emit(values);
        return 0;
    }
    std::fprintf(stderr, "selftest: no mode %s for type %s\n", mode.c_str(), type.c_str());
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s MODE TYPE < argument-list.json\n", argv[0]);
        return 2;
    }
    return selftest(argv[1], argv[2]);
}
