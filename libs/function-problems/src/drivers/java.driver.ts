import { DRIVER_DIAGNOSTIC_PREFIX, DriverFiles, DriverGenerator } from '../driver-generator';
import { ParsedSignature, ValueType, elementType, signatureTypes } from '../value-type';
import { nodeDefinitionsUsed } from './node-definitions';

const SCALARS: Record<ValueType['base'], { type: string; zero: string }> = {
  int: { type: 'int', zero: '0' },
  long: { type: 'long', zero: '0' },
  double: { type: 'double', zero: '0.0' },
  bool: { type: 'boolean', zero: 'false' },
  string: { type: 'String', zero: '""' },
  ListNode: { type: 'ListNode', zero: 'null' },
  TreeNode: { type: 'TreeNode', zero: 'null' },
};

function javaType(type: ValueType): string {
  return SCALARS[type.base].type + '[]'.repeat(type.dimensions);
}

function zeroValue(type: ValueType): string {
  if (type.dimensions === 0) return SCALARS[type.base].zero;
  return `new ${SCALARS[type.base].type}[0]${'[]'.repeat(type.dimensions - 1)}`;
}

/** The name of the decoder and encoder methods of a type: int[][] → int_2. */
function codecName(type: ValueType): string {
  return `${type.base}_${type.dimensions}`;
}

/** Imports LeetCode's Java environment has without asking; put on the user's first line, so its line numbers stay its own. */
const IMPLICIT_IMPORTS = 'import java.util.*; import java.util.function.*; import java.util.stream.*; import java.math.*; ';

const NODE_CLASSES = {
  ListNode: [
    'class ListNode {',
    '    int val;',
    '    ListNode next;',
    '    ListNode() {}',
    '    ListNode(int val) { this.val = val; }',
    '    ListNode(int val, ListNode next) { this.val = val; this.next = next; }',
    '}',
  ],
  TreeNode: [
    'class TreeNode {',
    '    int val;',
    '    TreeNode left;',
    '    TreeNode right;',
    '    TreeNode() {}',
    '    TreeNode(int val) { this.val = val; }',
    '    TreeNode(int val, TreeNode left, TreeNode right) {',
    '        this.val = val;',
    '        this.left = left;',
    '        this.right = right;',
    '    }',
    '}',
  ],
};
const NODE_TITLES = { ListNode: 'Definition for singly-linked list.', TreeNode: 'Definition for a binary tree node.' };

/** Array decoders and encoders: primitive arrays cannot be generic, so one pair per array type used. */
function arrayCodecs(signature: ParsedSignature): { decoders: string[]; encoders: string[] } {
  const decoders: string[] = [];
  const encoders: string[] = [];
  for (const type of signatureTypes(signature).filter((t) => t.dimensions > 0)) {
    const element = elementType(type);
    const name = codecName(type);
    const creation = `new ${SCALARS[type.base].type}[items.size()]${'[]'.repeat(type.dimensions - 1)}`;
    decoders.push(
      [
        `    static ${javaType(type)} ${name}(Object value, VerdictPath path) {`,
        `        java.util.List<Object> items = list(value, path, "${type.text}");`,
        `        ${javaType(type)} result = ${creation};`,
        `        for (int i = 0; i < result.length; i++) result[i] = ${codecName(element)}(items.get(i), path.at(i));`,
        '        return result;',
        '    }',
      ].join('\n'),
    );
    encoders.push(
      [
        `    static void ${name}(StringBuilder out, ${javaType(type)} values, VerdictPath at) {`,
        `        if (values == null) throw VerdictDriverError.returned(at, "null", ", expected ${type.text}");`,
        "        out.append('[');",
        '        for (int i = 0; i < values.length; i++) {',
        "            if (i > 0) out.append(',');",
        `            ${codecName(element)}(out, values[i], at.at(i));`,
        '        }',
        "        out.append(']');",
        '    }',
      ].join('\n'),
    );
  }
  return { decoders, encoders };
}

/**
 * Main.java: main, the node classes, and a small JSON reader and writer (the image has no JSON
 * library). Everything from java.* is written fully qualified, so no class of the user's (a `List`,
 * a `Pair`) can change what the driver means.
 */
function driver(signature: ParsedSignature): string {
  const { functionName, parameters, returnType } = signature;
  const names = parameters.map((p) => p.name).join(', ');
  const { decoders, encoders } = arrayCodecs(signature);
  const main = [
    'public class Main {',
    '    public static void main(String[] verdictCommandLine) throws java.io.IOException {',
    '        // The result goes to the original stdout; whatever the solution prints goes to stderr.',
    '        java.io.PrintStream verdictResultOut = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, java.nio.charset.StandardCharsets.UTF_8);',
    '        System.setOut(System.err);',
    '        try {',
    '            String verdictInput = new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);',
    `            java.util.List<Object> verdictArguments = VerdictJson.arguments(verdictInput, ${parameters.length}, ${JSON.stringify(names)});`,
    ...parameters.map(
      (p, i) => `            ${javaType(p.type)} ${p.name} = VerdictDecode.${codecName(p.type)}(verdictArguments.get(${i}), VerdictPath.root(${JSON.stringify(p.name)}));`,
    ),
    `            ${javaType(returnType)} verdictReturned = new Solution().${functionName}(${names}); // ${functionName} must return ${javaType(returnType)}`,
    '            StringBuilder verdictOut = new StringBuilder();',
    `            VerdictEncode.${codecName(returnType)}(verdictOut, verdictReturned, VerdictPath.root(""));`,
    "            verdictResultOut.print(verdictOut.append('\\n'));",
    '            verdictResultOut.flush();',
    '        } catch (VerdictDriverError verdictError) {',
    '            System.out.flush();',
    `            System.err.println(${JSON.stringify(DRIVER_DIAGNOSTIC_PREFIX)} + " " + verdictError.getMessage());`,
    '            System.exit(1);',
    '        }',
    '    }',
    '}',
  ].join('\n');
  return String.raw`// Generated by Verdict: reads the argument list (JSON) from stdin, calls Solution.${functionName}
// and prints what it returns as JSON on the original stdout.
${main}

${NODE_CLASSES.ListNode.join('\n')}

${NODE_CLASSES.TreeNode.join('\n')}

/** A fault of the test data or of the returned value, reported on one line. */
final class VerdictDriverError extends RuntimeException {
    VerdictDriverError(String message) { super(message); }

    static VerdictDriverError returned(VerdictPath at, String what, String why) {
        String where = at.toString();
        return new VerdictDriverError("${functionName} returned " + what + (where.isEmpty() ? "" : " at " + where) + why);
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

${decoders.join('\n\n')}
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

${encoders.join('\n\n')}
}
`;
}

function starterCode(signature: ParsedSignature): string {
  const comments = nodeDefinitionsUsed(signature).flatMap((node) => [
    '/**',
    ` * ${NODE_TITLES[node]}`,
    ...NODE_CLASSES[node].map((line, i) => ` * ${i === 0 ? `public ${line}` : line}`),
    ' */',
  ]);
  const parameters = signature.parameters.map((p) => `${javaType(p.type)} ${p.name}`).join(', ');
  return [
    ...comments,
    'class Solution {',
    `    public ${javaType(signature.returnType)} ${signature.functionName}(${parameters}) {`,
    `        return ${zeroValue(signature.returnType)};`,
    '    }',
    '}',
    '',
  ].join('\n');
}

export const JAVA_DRIVER: DriverGenerator = {
  fileRoles: ['solution', 'driver'],
  files(signature: ParsedSignature, userSource: string): DriverFiles {
    return { solution: IMPLICIT_IMPORTS + userSource, driver: driver(signature) };
  },
  starterCode,
};
