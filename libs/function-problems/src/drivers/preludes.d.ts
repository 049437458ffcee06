/**
 * The driver preludes (libs/function-problems/drivers/), imported as their text: bundled by
 * webpack's `asset/source` rule (webpack.config.js) and, under Jest, by jest.asset-source.js.
 */
declare module '*/verdict_driver.py' {
  const source: string;
  export default source;
}
declare module '*/verdict_driver.hpp' {
  const source: string;
  export default source;
}
declare module '*/verdict_driver.go' {
  const source: string;
  export default source;
}
declare module '*/VerdictDriver.java' {
  const source: string;
  export default source;
}
declare module '*/verdict_driver.js' {
  const source: string;
  export default source;
}
