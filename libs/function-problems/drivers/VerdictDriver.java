// Verdict's Java driver for function problems: everything but the signature. The generated
// Main.java is a class Main followed by this file. Main.main calls VerdictDriver.run with the
// function's name, the parameters' names and the call: decode each argument (VerdictDecode, one
// method per type: int[][] is int_2), call Solution's method, assigning what it returns to a
// variable of the problem's return type (so a wrong return type is a compile error), encode it
// (VerdictEncode). Everything from java.* is written fully qualified, so no class of the user's (a
// `List`, a `Pair`) can change what the driver means; there are no imports (the user's Solution.java
// has its own). Faults of the test data or of the returned value end the run with exit code 1 and
// one line "verdict-driver: ..." on stderr. Compiled and run on its own, with SelfTest.java, in CI
// (test/driver-preludes.e2e-spec.ts).

/** Runs the generated call: reads the argument list (stdin), prints what the call encoded (stdout). */
final class VerdictDriver {
    /** What the generated Main.main does with the arguments, writing the returned value as JSON to out. */
    interface Call {
        void call(java.util.List<Object> arguments, StringBuilder out) throws java.io.IOException;
    }

    /** The function's name, for messages about what it returned. */
    static String function = "";

    static void run(String function, String[] parameters, Call call) throws java.io.IOException {
        VerdictDriver.function = function;
        // The result goes to the original stdout; whatever the solution prints goes to stderr.
        java.io.PrintStream resultOut = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, java.nio.charset.StandardCharsets.UTF_8);
        System.setOut(System.err);
        try {
            String input = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            java.util.List<Object> arguments = VerdictJson.arguments(input, parameters.length, String.join(", ", parameters));
            StringBuilder out = new StringBuilder();
            call.call(arguments, out);
            resultOut.print(out.append('\n'));
            resultOut.flush();
        } catch (VerdictDriverError error) {
            System.out.flush();
            System.err.println("verdict-driver: " + error.getMessage());
            System.exit(1);
        }
    }
}

// The node types, as LeetCode defines them (starter code shows these lines).
class ListNode {
    int val;
    ListNode next;
    ListNode() {}
    ListNode(int val) { this.val = val; }
    ListNode(int val, ListNode next) { this.val = val; this.next = next; }
}

class TreeNode {
    int val;
    TreeNode left;
    TreeNode right;
    TreeNode() {}
    TreeNode(int val) { this.val = val; }
    TreeNode(int val, TreeNode left, TreeNode right) {
        this.val = val;
        this.left = left;
        this.right = right;
    }
}

/** A fault of the test data or of the returned value, reported on one line. */
final class VerdictDriverError extends RuntimeException {
    VerdictDriverError(String message) { super(message); }

    static VerdictDriverError returned(VerdictPath at, String what, String why) {
        String where = at.toString();
        return new VerdictDriverError(VerdictDriver.function + " returned " + what + (where.isEmpty() ? "" : " at " + where) + why);
    }

    static VerdictDriverError argument(VerdictPath path, String message) {
        return new VerdictDriverError("argument " + path + " " + message);
    }
}

/** Where a value sits: the argument's name (or the returned value) and the indices into it. */
final class VerdictPath {
    private final String root;
    private final VerdictPath parent;
    private final int index;

    private VerdictPath(String root, VerdictPath parent, int index) {
        this.root = root;
        this.parent = parent;
        this.index = index;
    }

    static VerdictPath root(String name) { return new VerdictPath(name, null, 0); }

    VerdictPath at(int i) { return new VerdictPath(root, this, i); }

    @Override
    public String toString() { return parent == null ? root : parent + "[" + index + "]"; }
}

/** JSON text to values: null, Boolean, String, Number (its text, so longs stay exact), List. */
final class VerdictJson {
    static final class Number {
        final String text;
        Number(String text) { this.text = text; }
    }

    private final String text;
    private int at;

    private VerdictJson(String text) { this.text = text; }

    static java.util.List<Object> arguments(String text, int count, String names) {
        String expected = "the test input must be a JSON array of " + count + " argument(s) (" + names + ")";
        VerdictJson reader = new VerdictJson(text);
        Object value = reader.value();
        reader.skipSpace();
        if (reader.at != text.length()) throw new VerdictDriverError("the test input has text after the argument list " + reader.where());
        if (!(value instanceof java.util.List)) throw new VerdictDriverError(expected);
        @SuppressWarnings("unchecked")
        java.util.List<Object> arguments = (java.util.List<Object>) value;
        if (arguments.size() != count) throw new VerdictDriverError(expected + ", got " + arguments.size());
        return arguments;
    }

    private Object value() {
        skipSpace();
        if (at >= text.length()) throw malformed("a value");
        char c = text.charAt(at);
        if (c == '[') {
            at++;
            java.util.List<Object> items = new java.util.ArrayList<>();
            skipSpace();
            if (at < text.length() && text.charAt(at) == ']') {
                at++;
                return items;
            }
            for (;;) {
                items.add(value());
                skipSpace();
                if (at < text.length() && text.charAt(at) == ',') {
                    at++;
                } else if (at < text.length() && text.charAt(at) == ']') {
                    at++;
                    return items;
                } else {
                    throw malformed("',' or ']'");
                }
            }
        }
        if (c == '{') {
            // Objects are never valid arguments; read past them only to say so with the right path.
            at++;
            java.util.Map<String, Object> members = new java.util.LinkedHashMap<>();
            skipSpace();
            if (at < text.length() && text.charAt(at) == '}') {
                at++;
                return members;
            }
            for (;;) {
                skipSpace();
                String key = string();
                skipSpace();
                if (at >= text.length() || text.charAt(at) != ':') throw malformed("':'");
                at++;
                members.put(key, value());
                skipSpace();
                if (at < text.length() && text.charAt(at) == ',') {
                    at++;
                } else if (at < text.length() && text.charAt(at) == '}') {
                    at++;
                    return members;
                } else {
                    throw malformed("',' or '}'");
                }
            }
        }
        if (c == '"') return string();
        if (text.startsWith("true", at)) { at += 4; return Boolean.TRUE; }
        if (text.startsWith("false", at)) { at += 5; return Boolean.FALSE; }
        if (text.startsWith("null", at)) { at += 4; return null; }
        int start = at;
        while (at < text.length() && "+-.0123456789eE".indexOf(text.charAt(at)) >= 0) at++;
        if (start == at) throw malformed("a value");
        return new Number(text.substring(start, at));
    }

    private String string() {
        if (at >= text.length() || text.charAt(at) != '"') throw malformed("a string");
        at++;
        StringBuilder out = new StringBuilder();
        for (;;) {
            if (at >= text.length()) throw malformed("the end of the string");
            char c = text.charAt(at++);
            if (c == '"') return out.toString();
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) throw malformed("an escape");
            char e = text.charAt(at++);
            switch (e) {
                case '"': out.append('"'); break;
                case '\\': out.append('\\'); break;
                case '/': out.append('/'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'n': out.append('\n'); break;
                case 'r': out.append('\r'); break;
                case 't': out.append('\t'); break;
                case 'u':
                    if (at + 4 > text.length()) throw malformed("four hex digits");
                    try {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    } catch (NumberFormatException notHex) {
                        throw malformed("four hex digits");
                    }
                    at += 4;
                    break;
                default: throw malformed("a valid escape");
            }
        }
    }

    private void skipSpace() {
        while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) at++;
    }

    private String where() {
        if (at >= text.length()) return "at the end of the input";
        return "at offset " + at + " (found \"" + text.substring(at, Math.min(text.length(), at + 20)) + "\")";
    }

    private VerdictDriverError malformed(String expected) {
        return new VerdictDriverError("the test input is not valid JSON: expected " + expected + " " + where());
    }

    static String describe(Object value) {
        if (value == null) return "null";
        if (value instanceof Boolean) return "a bool";
        if (value instanceof Number) return "the number " + ((Number) value).text;
        if (value instanceof String) return "a string";
        if (value instanceof java.util.List) return "an array";
        return "an object";
    }
}

final class VerdictDecode {
    static java.util.List<Object> list(Object value, VerdictPath path, String what) {
        if (!(value instanceof java.util.List)) throw VerdictDriverError.argument(path, "is " + VerdictJson.describe(value) + ", expected " + what);
        @SuppressWarnings("unchecked")
        java.util.List<Object> items = (java.util.List<Object>) value;
        return items;
    }

    // Integers are read from their digits, never through a double, so every long is exact; a whole
    // number written with a fraction or exponent (3.0, 1e3) is accepted too.
    static long integer(Object value, VerdictPath path, long low, long high, String type) {
        if (!(value instanceof VerdictJson.Number)) throw VerdictDriverError.argument(path, "is " + VerdictJson.describe(value) + ", expected " + type);
        String text = ((VerdictJson.Number) value).text;
        java.math.BigDecimal number;
        try {
            number = new java.math.BigDecimal(text);
        } catch (NumberFormatException notANumber) {
            throw VerdictDriverError.argument(path, "is " + text + ", not a number");
        }
        if (number.signum() != 0 && number.stripTrailingZeros().scale() > 0) throw VerdictDriverError.argument(path, "is " + text + ", not a whole number (expected " + type + ")");
        if (number.compareTo(java.math.BigDecimal.valueOf(low)) < 0 || number.compareTo(java.math.BigDecimal.valueOf(high)) > 0) {
            throw VerdictDriverError.argument(path, "is " + text + ", out of range for " + type);
        }
        return number.longValue();
    }

    static int int_0(Object value, VerdictPath path) { return (int) integer(value, path, Integer.MIN_VALUE, Integer.MAX_VALUE, "int"); }

    static long long_0(Object value, VerdictPath path) { return integer(value, path, Long.MIN_VALUE, Long.MAX_VALUE, "long"); }

    static double double_0(Object value, VerdictPath path) {
        if (!(value instanceof VerdictJson.Number)) throw VerdictDriverError.argument(path, "is " + VerdictJson.describe(value) + ", expected double");
        try {
            return Double.parseDouble(((VerdictJson.Number) value).text);
        } catch (NumberFormatException notANumber) {
            throw VerdictDriverError.argument(path, "is " + ((VerdictJson.Number) value).text + ", not a number");
        }
    }

    static boolean bool_0(Object value, VerdictPath path) {
        if (!(value instanceof Boolean)) throw VerdictDriverError.argument(path, "is " + VerdictJson.describe(value) + ", expected bool");
        return (Boolean) value;
    }

    static String string_0(Object value, VerdictPath path) {
        if (!(value instanceof String)) throw VerdictDriverError.argument(path, "is " + VerdictJson.describe(value) + ", expected string");
        return (String) value;
    }

    static ListNode ListNode_0(Object value, VerdictPath path) {
        java.util.List<Object> items = list(value, path, "a ListNode (an array of values)");
        ListNode head = null;
        for (int i = items.size() - 1; i >= 0; i--) head = new ListNode(int_0(items.get(i), path.at(i)), head);
        return head;
    }

    static TreeNode TreeNode_0(Object value, VerdictPath path) {
        java.util.List<Object> items = list(value, path, "a TreeNode (an array in level order)");
        if (items.isEmpty()) return null;
        TreeNode[] nodes = new TreeNode[items.size()];
        for (int i = 0; i < nodes.length; i++) if (items.get(i) != null) nodes[i] = new TreeNode(int_0(items.get(i), path.at(i)));
        if (nodes[0] == null) throw VerdictDriverError.argument(path.at(0), "is null: the root of a tree cannot be (an empty tree is [])");
        java.util.ArrayDeque<TreeNode> parents = new java.util.ArrayDeque<>();
        parents.add(nodes[0]);
        for (int i = 1; i < nodes.length;) {
            if (parents.isEmpty()) throw VerdictDriverError.argument(path.at(i), "has no parent: every node before it is null");
            TreeNode parent = parents.poll();
            parent.left = nodes[i++];
            if (parent.left != null) parents.add(parent.left);
            if (i < nodes.length) {
                parent.right = nodes[i++];
                if (parent.right != null) parents.add(parent.right);
            }
        }
        return nodes[0];
    }

    static int[] int_1(Object value, VerdictPath path) {
        java.util.List<Object> items = list(value, path, "int[]");
        int[] result = new int[items.size()];
        for (int i = 0; i < result.length; i++) result[i] = int_0(items.get(i), path.at(i));
        return result;
    }

    static long[] long_1(Object value, VerdictPath path) {
        java.util.List<Object> items = list(value, path, "long[]");
        long[] result = new long[items.size()];
        for (int i = 0; i < result.length; i++) result[i] = long_0(items.get(i), path.at(i));
        return result;
    }

    static double[] double_1(Object value, VerdictPath path) {
        java.util.List<Object> items = list(value, path, "double[]");
        double[] result = new double[items.size()];
        for (int i = 0; i < result.length; i++) result[i] = double_0(items.get(i), path.at(i));
        return result;
    }

    static boolean[] bool_1(Object value, VerdictPath path) {
        java.util.List<Object> items = list(value, path, "bool[]");
        boolean[] result = new boolean[items.size()];
        for (int i = 0; i < result.length; i++) result[i] = bool_0(items.get(i), path.at(i));
        return result;
    }

    /** Arrays of objects (strings, nodes, arrays): one element decoder for all. */
    interface Element<T> {
        T decode(Object value, VerdictPath path);
    }

    static <T> T[] array(Object value, VerdictPath path, String what, java.util.function.IntFunction<T[]> create, Element<T> element) {
        java.util.List<Object> items = list(value, path, what);
        T[] result = create.apply(items.size());
        for (int i = 0; i < result.length; i++) result[i] = element.decode(items.get(i), path.at(i));
        return result;
    }

    static String[] string_1(Object value, VerdictPath path) { return array(value, path, "string[]", String[]::new, VerdictDecode::string_0); }

    static ListNode[] ListNode_1(Object value, VerdictPath path) { return array(value, path, "ListNode[]", ListNode[]::new, VerdictDecode::ListNode_0); }

    static TreeNode[] TreeNode_1(Object value, VerdictPath path) { return array(value, path, "TreeNode[]", TreeNode[]::new, VerdictDecode::TreeNode_0); }

    static int[][] int_2(Object value, VerdictPath path) { return array(value, path, "int[][]", int[][]::new, VerdictDecode::int_1); }

    static long[][] long_2(Object value, VerdictPath path) { return array(value, path, "long[][]", long[][]::new, VerdictDecode::long_1); }

    static double[][] double_2(Object value, VerdictPath path) { return array(value, path, "double[][]", double[][]::new, VerdictDecode::double_1); }

    static boolean[][] bool_2(Object value, VerdictPath path) { return array(value, path, "bool[][]", boolean[][]::new, VerdictDecode::bool_1); }

    static String[][] string_2(Object value, VerdictPath path) { return array(value, path, "string[][]", String[][]::new, VerdictDecode::string_1); }
}

final class VerdictEncode {
    static void int_0(StringBuilder out, int value, VerdictPath at) { out.append(value); }

    static void long_0(StringBuilder out, long value, VerdictPath at) { out.append(value); }

    static void double_0(StringBuilder out, double value, VerdictPath at) {
        if (Double.isNaN(value) || Double.isInfinite(value)) throw VerdictDriverError.returned(at, String.valueOf(value), ", which JSON cannot represent");
        // Double.toString reads back as the same double (and 1.0E10 is valid JSON).
        out.append(Double.toString(value));
    }

    static void bool_0(StringBuilder out, boolean value, VerdictPath at) { out.append(value); }

    static void string_0(StringBuilder out, String value, VerdictPath at) {
        if (value == null) throw VerdictDriverError.returned(at, "null", ", expected a string");
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
            }
        }
        out.append('"');
    }

    static void ListNode_0(StringBuilder out, ListNode head, VerdictPath at) {
        java.util.Set<ListNode> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        out.append('[');
        int i = 0;
        for (ListNode node = head; node != null; node = node.next, i++) {
            if (!seen.add(node)) throw VerdictDriverError.returned(at, "a linked list with a cycle", " (node " + i + " is an earlier node again)");
            if (i > 0) out.append(',');
            out.append(node.val);
        }
        out.append(']');
    }

    static void TreeNode_0(StringBuilder out, TreeNode root, VerdictPath at) {
        java.util.List<TreeNode> order = new java.util.ArrayList<>();
        java.util.Set<TreeNode> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        if (root != null) {
            order.add(root);
            seen.add(root);
        }
        for (int i = 0; i < order.size(); i++) {
            TreeNode node = order.get(i);
            if (node == null) continue;
            for (TreeNode child : new TreeNode[] {node.left, node.right}) {
                if (child != null && !seen.add(child)) throw VerdictDriverError.returned(at, "a tree in which a node is reached twice", " (a cycle or a shared subtree)");
                order.add(child);
            }
        }
        int end = order.size();
        while (end > 0 && order.get(end - 1) == null) end--;
        out.append('[');
        for (int i = 0; i < end; i++) {
            if (i > 0) out.append(',');
            out.append(order.get(i) == null ? "null" : String.valueOf(order.get(i).val));
        }
        out.append(']');
    }

    static void int_1(StringBuilder out, int[] values, VerdictPath at) {
        if (values == null) throw VerdictDriverError.returned(at, "null", ", expected int[]");
        out.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) out.append(',');
            int_0(out, values[i], at.at(i));
        }
        out.append(']');
    }

    static void long_1(StringBuilder out, long[] values, VerdictPath at) {
        if (values == null) throw VerdictDriverError.returned(at, "null", ", expected long[]");
        out.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) out.append(',');
            long_0(out, values[i], at.at(i));
        }
        out.append(']');
    }

    static void double_1(StringBuilder out, double[] values, VerdictPath at) {
        if (values == null) throw VerdictDriverError.returned(at, "null", ", expected double[]");
        out.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) out.append(',');
            double_0(out, values[i], at.at(i));
        }
        out.append(']');
    }

    static void bool_1(StringBuilder out, boolean[] values, VerdictPath at) {
        if (values == null) throw VerdictDriverError.returned(at, "null", ", expected bool[]");
        out.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) out.append(',');
            bool_0(out, values[i], at.at(i));
        }
        out.append(']');
    }

    /** Arrays of objects (strings, nodes, arrays): one element encoder for all. */
    interface Element<T> {
        void encode(StringBuilder out, T value, VerdictPath at);
    }

    static <T> void array(StringBuilder out, T[] values, VerdictPath at, String what, Element<T> element) {
        if (values == null) throw VerdictDriverError.returned(at, "null", ", expected " + what);
        out.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) out.append(',');
            element.encode(out, values[i], at.at(i));
        }
        out.append(']');
    }

    static void string_1(StringBuilder out, String[] values, VerdictPath at) { array(out, values, at, "string[]", VerdictEncode::string_0); }

    static void ListNode_1(StringBuilder out, ListNode[] values, VerdictPath at) { array(out, values, at, "ListNode[]", VerdictEncode::ListNode_0); }

    static void TreeNode_1(StringBuilder out, TreeNode[] values, VerdictPath at) { array(out, values, at, "TreeNode[]", VerdictEncode::TreeNode_0); }

    static void int_2(StringBuilder out, int[][] values, VerdictPath at) { array(out, values, at, "int[][]", VerdictEncode::int_1); }

    static void long_2(StringBuilder out, long[][] values, VerdictPath at) { array(out, values, at, "long[][]", VerdictEncode::long_1); }

    static void double_2(StringBuilder out, double[][] values, VerdictPath at) { array(out, values, at, "double[][]", VerdictEncode::double_1); }

    static void bool_2(StringBuilder out, boolean[][] values, VerdictPath at) { array(out, values, at, "bool[][]", VerdictEncode::bool_1); }

    static void string_2(StringBuilder out, String[][] values, VerdictPath at) { array(out, values, at, "string[][]", VerdictEncode::string_1); }
}
