// Runs in Electron's own Node (ELECTRON_RUN_AS_NODE=1), where better-sqlite3 is
// built for Electron's ABI: prints the rows of one query as JSON.
// Usage: electron sqlite-in-electron.cjs DB_FILE SQL [PARAM...]
const Database = require('better-sqlite3');

const [file, sql, ...params] = process.argv.slice(2);
const db = new Database(file, { readonly: file !== ':memory:', fileMustExist: file !== ':memory:' });
process.stdout.write(JSON.stringify(db.prepare(sql).all(...params)));
db.close();
