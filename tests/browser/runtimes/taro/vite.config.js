// The compile-time switches Taro's own build (@tarojs/runner / webpack DefinePlugin) sets for H5;
// @tarojs/runtime reads them as globals.
export default {
  define: {
    ENABLE_INNER_HTML: 'true',
    ENABLE_ADJACENT_HTML: 'true',
    ENABLE_SIZE_APIS: 'false',
    ENABLE_TEMPLATE_CONTENT: 'true',
    ENABLE_CLONE_NODE: 'true',
    ENABLE_CONTAINS: 'true',
    ENABLE_MUTATION_OBSERVER: 'true',
    'process.env.TARO_ENV': '"h5"',
    'process.env.TARO_PLATFORM': '"web"',
  },
  build: { outDir: 'dist', emptyOutDir: true, minify: false },
}
