// The part of js-yaml 3's API the project uses (the alias js-yaml3; @types/js-yaml describes version 4).
declare module 'js-yaml3' {
  interface LoadOptions {
    filename?: string
    json?: boolean
  }

  const jsYaml3: {safeLoad(text: string, options?: LoadOptions): unknown}
  export default jsYaml3
}
