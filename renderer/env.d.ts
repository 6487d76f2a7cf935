// Build-time flags Vite replaces in the bundle (unset in normal builds).
interface ImportMetaEnv {
  /** "1" in bench and test builds: node components count their renders on window. */
  readonly VITE_STRATBOARD_INSTRUMENT?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
