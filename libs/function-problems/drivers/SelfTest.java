// Self-test of VerdictDriver.java, run by test/driver-preludes.e2e-spec.ts in the Java runtime image
// (compiled and run as the language catalog compiles Main.java and Solution.java and runs Main):
//
//   java Main MODE TYPE < argument-list.json
//
// does what the Main of a generated Main.java does for the signature selfTest(value: TYPE) -> TYPE,
// with a function that does what MODE says.
class Main {
    public static void main(String[] commandLine) throws java.io.IOException {
        if (commandLine.length != 2) {
            System.err.println("usage: java Main MODE TYPE < argument-list.json");
            System.exit(2);
        }
        String mode = commandLine[0];
        String type = commandLine[1];
        VerdictDriver.run("selfTest", new String[] {"value"}, (arguments, out) -> {
            Object value = arguments.get(0);
            VerdictPath path = VerdictPath.root("value");
            VerdictPath returned = VerdictPath.root("");
            switch (mode + " " + type) {
                case "echo int": VerdictEncode.int_0(out, noisy(VerdictDecode.int_0(value, path)), returned); break;
                case "echo int[]": VerdictEncode.int_1(out, noisy(VerdictDecode.int_1(value, path)), returned); break;
                case "echo int[][]": VerdictEncode.int_2(out, noisy(VerdictDecode.int_2(value, path)), returned); break;
                case "echo long": VerdictEncode.long_0(out, noisy(VerdictDecode.long_0(value, path)), returned); break;
                case "echo long[]": VerdictEncode.long_1(out, noisy(VerdictDecode.long_1(value, path)), returned); break;
                case "echo long[][]": VerdictEncode.long_2(out, noisy(VerdictDecode.long_2(value, path)), returned); break;
                case "echo double": VerdictEncode.double_0(out, noisy(VerdictDecode.double_0(value, path)), returned); break;
                case "echo double[]": VerdictEncode.double_1(out, noisy(VerdictDecode.double_1(value, path)), returned); break;
                case "echo double[][]": VerdictEncode.double_2(out, noisy(VerdictDecode.double_2(value, path)), returned); break;
                case "echo bool": VerdictEncode.bool_0(out, noisy(VerdictDecode.bool_0(value, path)), returned); break;
                case "echo bool[]": VerdictEncode.bool_1(out, noisy(VerdictDecode.bool_1(value, path)), returned); break;
                case "echo bool[][]": VerdictEncode.bool_2(out, noisy(VerdictDecode.bool_2(value, path)), returned); break;
                case "echo string": VerdictEncode.string_0(out, noisy(VerdictDecode.string_0(value, path)), returned); break;
                case "echo string[]": VerdictEncode.string_1(out, noisy(VerdictDecode.string_1(value, path)), returned); break;
                case "echo string[][]": VerdictEncode.string_2(out, noisy(VerdictDecode.string_2(value, path)), returned); break;
                case "echo ListNode": VerdictEncode.ListNode_0(out, noisy(VerdictDecode.ListNode_0(value, path)), returned); break;
                case "echo ListNode[]": VerdictEncode.ListNode_1(out, noisy(VerdictDecode.ListNode_1(value, path)), returned); break;
                case "echo TreeNode": VerdictEncode.TreeNode_0(out, noisy(VerdictDecode.TreeNode_0(value, path)), returned); break;
                case "echo TreeNode[]": VerdictEncode.TreeNode_1(out, noisy(VerdictDecode.TreeNode_1(value, path)), returned); break;
                case "list-cycle ListNode": {
                    ListNode head = VerdictDecode.ListNode_0(value, path);
                    head.next.next.next = head.next;
                    VerdictEncode.ListNode_0(out, head, returned);
                    break;
                }
                case "shared-tree TreeNode": {
                    TreeNode root = VerdictDecode.TreeNode_0(value, path);
                    root.left = root.right = new TreeNode(9);
                    VerdictEncode.TreeNode_0(out, root, returned);
                    break;
                }
                case "nan double":
                    VerdictDecode.double_0(value, path);
                    VerdictEncode.double_0(out, Double.NaN, returned);
                    break;
                case "infinity double[]": {
                    double[] values = VerdictDecode.double_1(value, path);
                    values[1] = Double.POSITIVE_INFINITY;
                    VerdictEncode.double_1(out, values, returned);
                    break;
                }
                default:
                    System.err.println("SelfTest: no mode " + mode + " for type " + type);
                    System.exit(2);
            }
        });
    }

    /** What the solution prints must not reach the result. */
    static <T> T noisy(T value) {
        System.out.println("noise from System.out");
        return value;
    }
}
