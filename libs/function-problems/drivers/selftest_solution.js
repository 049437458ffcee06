// The user's solution of the JavaScript self-test (selftest.js), a script run in the driver's
// realm. Like user code, it relies on what the driver provides as globals: TreeNode, require.
var selfTest = function (value) {
  const mode = process.argv[2];
  if (mode === 'echo') {
    // What the solution prints must not reach the result.
    console.log('noise from console.log:', require('util').inspect(value));
    process.stdout.write('noise from process.stdout.write\n');
    return value;
  }
  if (mode === 'list-cycle') {
    value.next.next.next = value.next;
    return value;
  }
  if (mode === 'shared-tree') {
    value.left = value.right = new TreeNode(9);
    return value;
  }
  if (mode === 'nan') return NaN;
  if (mode === 'infinity') {
    value[1] = Infinity;
    return value;
  }
  if (mode === 'wrong-type') return [1, 'x'];
  if (mode === 'raise') throw new Error('raised on purpose');
  throw new Error('unknown self-test mode ' + mode);
};
