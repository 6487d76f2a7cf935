// Vite turns `?inline` imports of the summary fonts into data: URLs in a lazily loaded chunk.
declare module '*.ttf?inline' {
  const dataUrl: string;
  export default dataUrl;
}
