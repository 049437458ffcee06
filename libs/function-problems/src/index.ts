export { FUNCTION_LANGUAGES, FunctionLanguageCatalogError, loadFunctionLanguages } from './function-language-catalog';
export type { FunctionLanguage, ReservedPattern } from './function-language-catalog';
export { InvalidFunctionSignatureError, UnsupportedFunctionLanguageError, functionProgram, starterCode } from './function-program';
export type { FunctionProgramLayout } from './function-program';
export { MAX_PARAMETERS, validateSignature } from './signature-validation';
export { MAX_VALUE_PROBLEMS, validateFunctionTest, validateValue } from './value-validation';
export { DRIVER_DIAGNOSTIC_PREFIX } from './driver-generator';
export { driverDiagnostic } from './driver-diagnostic';
