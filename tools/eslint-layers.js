// The ESLint rule `layers/imports`: every file belongs to a layer, and every import it makes must be on its
// layer's allow-list (Signal Desktop's approach: say what may be imported, not what may not). An import of
// a file outside every layer, or of a package no layer lists, is an error too, so nothing new arrives
// unclassified. The table of layers lives in eslint.config.js.
import { builtinModules } from 'node:module';
import path from 'node:path';

const BUILTINS = new Set(builtinModules);

/** 'shared/**' → matches 'shared/a/b.ts'; '*.ts' → matches 'vite.config.ts' (one segment only). */
function globToRegExp(glob) {
  const source = glob
    .split('**')
    .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('.*');
  return new RegExp(`^${source}$`);
}

/** The package an import names: 'react-dom/client' → 'react-dom', '@fontsource/noto-sans/400.css' → '@fontsource/noto-sans'. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * @param {{ root: string, layers: Record<string, { files: string[], layers: string[], packages: string[] | '*', node: boolean }> }} options
 */
export function layersPlugin({ root, layers }) {
  const matchers = Object.entries(layers).map(([name, layer]) => ({
    name,
    layer,
    patterns: layer.files.map(globToRegExp),
  }));
  const layerOf = (repoPath) => matchers.find((m) => m.patterns.some((p) => p.test(repoPath)));
  const listed = new Set(
    Object.values(layers).flatMap((layer) => (Array.isArray(layer.packages) ? layer.packages : [])),
  );

  /** Why `specifier`, imported by a file of `from`, is not allowed; null when it is. */
  function refusal(from, fileDir, specifier) {
    const bare = specifier.split('?')[0];
    if (bare.startsWith('.') || bare.startsWith('/')) {
      const target = path.relative(root, path.resolve(fileDir, bare)).split(path.sep).join('/');
      const to = layerOf(target);
      if (to === undefined) return `'${specifier}' is in no layer (unclassified): add its folder to the layers table`;
      if (to.name === from.name || from.layer.layers.includes(to.name)) return null;
      return `${from.name} may not import ${to.name} ('${specifier}'); it may import: ${[from.name, ...from.layer.layers].join(', ')}`;
    }
    if (bare.startsWith('node:') || BUILTINS.has(packageOf(bare))) {
      return from.layer.node ? null : `${from.name} runs where Node's built-ins do not: '${specifier}' is not allowed`;
    }
    const name = packageOf(bare);
    if (from.layer.packages === '*' || from.layer.packages.includes(name)) return null;
    if (!listed.has(name)) return `package '${name}' is in no layer's list (unclassified): add it where it belongs`;
    return `${from.name} may not import the package '${name}'; its packages: ${from.layer.packages.join(', ') || 'none'}`;
  }

  const rule = {
    meta: { type: 'problem', schema: [], docs: { description: 'Imports follow the per-layer allow-list' } },
    create(context) {
      const file = path.relative(root, context.filename).split(path.sep).join('/');
      const from = layerOf(file);
      const fileDir = path.dirname(context.filename);
      const check = (node, source) => {
        if (source?.type !== 'Literal' || typeof source.value !== 'string') return;
        const message = refusal(from, fileDir, source.value);
        if (message !== null) context.report({ node, message });
      };
      if (from === undefined) {
        return {
          Program(node) {
            context.report({ node, message: `${file} is in no layer: add its folder to the layers table` });
          },
        };
      }
      return {
        ImportDeclaration: (node) => check(node, node.source),
        ExportNamedDeclaration: (node) => check(node, node.source),
        ExportAllDeclaration: (node) => check(node, node.source),
        ImportExpression: (node) => check(node, node.source),
        TSImportType: (node) => check(node, node.argument?.literal ?? node.argument),
      };
    },
  };
  return { rules: { imports: rule } };
}
