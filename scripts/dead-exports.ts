/**
 * Lists the exports of src/ that no other module imports, with the TypeScript compiler API
 * (import and export specifiers, namespace imports, `import('…')` calls and `import('…').T`
 * types count as uses; an import through `export *` reaches the declaration itself). For each it says whether tests are its only
 * importers and how often its own module uses it (0: the declaration itself is dead).
 *
 *   node --import tsx scripts/dead-exports.ts [folder under src/ ...]
 */
import { relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export interface ExportUse {
  file: string;
  name: string;
  /** Other files that import it (tests included). */
  importers: string[];
  /** References inside its own module, the declaration not counted. */
  ownUses: number;
}

function loadProgram(root: string): ts.Program {
  const cfg = ts.getParsedCommandLineOfConfigFile(resolve(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!cfg) throw new Error('tsconfig.json could not be read');
  return ts.createProgram(cfg.fileNames, cfg.options);
}

/** Every exported symbol of the project, with the files that import it. */
function importersBySymbol(program: ts.Program, root: string): Map<ts.Symbol, Set<string>> {
  const checker = program.getTypeChecker();
  const uses = new Map<ts.Symbol, Set<string>>();
  // A use counts for every link of the alias chain: the import, each re-export, the declaration.
  const use = (s: ts.Symbol | undefined, by: string): void => {
    for (let link = s, hops = 0; link && hops < 20; hops++) {
      uses.set(link, (uses.get(link) ?? new Set()).add(by));
      link = link.flags & ts.SymbolFlags.Alias ? checker.getImmediateAliasedSymbol(link) : undefined;
    }
  };
  const useAll = (moduleNode: ts.Node, by: string): void => {
    const m = checker.getSymbolAtLocation(moduleNode);
    if (m) for (const e of checker.getExportsOfModule(m)) use(e, by);
  };
  for (const f of program.getSourceFiles()) {
    if (f.isDeclarationFile || !f.fileName.startsWith(root)) continue;
    const by = relative(root, f.fileName);
    const visit = (n: ts.Node): void => {
      if ((ts.isImportSpecifier(n) || ts.isExportSpecifier(n) || ts.isImportClause(n)) && n.name) use(checker.getSymbolAtLocation(n.name), by);
      if (ts.isNamespaceImport(n) && ts.isImportDeclaration(n.parent.parent)) useAll(n.parent.parent.moduleSpecifier, by);
      if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0]) useAll(n.arguments[0], by);
      if (ts.isImportTypeNode(n) && n.qualifier) use(checker.getSymbolAtLocation(ts.isIdentifier(n.qualifier) ? n.qualifier : n.qualifier.right), by);
      ts.forEachChild(n, visit);
    };
    visit(f);
  }
  return uses;
}

/** The exports of the files under `folders` (paths relative to root) that no non-test module imports. */
export function unimportedExports(root: string, folders: string[] = ['src']): ExportUse[] {
  const program = loadProgram(root);
  const checker = program.getTypeChecker();
  const uses = importersBySymbol(program, root);
  const out: ExportUse[] = [];
  for (const f of program.getSourceFiles()) {
    const file = relative(root, f.fileName);
    if (!folders.some((d) => file.startsWith(`${d}/`))) continue;
    const moduleSymbol = checker.getSymbolAtLocation(f);
    if (!moduleSymbol) continue;
    for (const e of checker.getExportsOfModule(moduleSymbol)) {
      const decl = e.declarations?.[0];
      // Exports of this file: its declarations and its re-exports (`export { x } from`).
      if (!decl || decl.getSourceFile() !== f) continue;
      const importers = [...(uses.get(e) ?? [])].filter((u) => u !== file).sort();
      if (importers.some((u) => !u.startsWith('test/'))) continue;
      let ownUses = 0;
      const count = (n: ts.Node): void => {
        if (ts.isIdentifier(n) && n.text === e.name && !e.declarations?.some((d) => (d as ts.NamedDeclaration).name === n)) {
          if (checker.getSymbolAtLocation(n) === e) ownUses++;
        }
        ts.forEachChild(n, count);
      };
      count(f);
      out.push({ file, name: e.name, importers, ownUses });
    }
  }
  return out.sort((a, b) => (a.file === b.file ? (a.name < b.name ? -1 : 1) : a.file < b.file ? -1 : 1));
}

function main(argv: string[]): number {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const rows = unimportedExports(root, argv.length > 0 ? argv.map((a) => a.replace(/\/$/, '')) : ['src']);
  for (const r of rows) {
    const who = r.importers.length > 0 ? `imported only by tests: ${r.importers.join(', ')}` : 'imported by nothing';
    console.log(`${r.file}\t${r.name}\t${who}\t${r.ownUses === 0 ? 'unused in its module' : `used ${r.ownUses}x in its module`}`);
  }
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
