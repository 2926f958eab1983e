// The language server in a second real editor: headless Neovim 0.7 (Debian's), whose built-in LSP
// client supports pushed diagnostics only. A generated Lua script starts
// `node bin/faaslint-language-server.js --stdio` with vim.lsp.start_client, opens a copy of
// examples/serverless.yml, waits for diagnostics (vim.diagnostic.get), asks for the code actions
// on the `s3:*` line (buf_request_sync), applies the preferred fix and waits for that diagnostic
// to go away. It prints what it saw line by line; this test asserts on that output.
// Needs `nvim` (scripts/e2e/install.sh installs it). Run: `npm run test:nvim`.
import { ensureServerBuilt } from '../support/build';
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, ROOT, copyExamples, log, run, startDetached, stopDetached, tempDir } from './support/env';

const LAUNCHER = path.join(ROOT, 'bin', 'faaslint-language-server.js');
const SERVER_BUNDLE = path.join(ROOT, 'dist', 'server.js');
const TIMEOUT_S = 90;

// Paths come in through the environment, so the script needs no quoting.
const LUA = String.raw`
local server = assert(os.getenv('FAASLINT_LAUNCHER'))
local root = assert(os.getenv('FAASLINT_WORKSPACE'))
local file = root .. '/serverless.yml'

local function out(fmt, ...) io.stdout:write(string.format(fmt, ...) .. '\n') io.stdout:flush() end
local function code_of(d) return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) end
local function find(pred) for _, d in ipairs(vim.diagnostic.get(0)) do if pred(d) then return d end end end
local function is_s3_wildcard(d) return code_of(d) == 'iam-no-wildcard-action' and d.message:find('s3:*', 1, true) ~= nil end
local function is_dynamodb_wildcard(d) return code_of(d) == 'iam-no-wildcard-action' and d.message:find('dynamodb:*', 1, true) ~= nil end
local function is_secret(d) return code_of(d) == 'secrets-no-hardcoded' end
local function print_diagnostics(tag)
  local list = vim.diagnostic.get(0)
  table.sort(list, function(a, b) return a.lnum < b.lnum or (a.lnum == b.lnum and a.col < b.col) end)
  for _, d in ipairs(list) do
    out('%s %d:%d %s %s %s', tag, d.lnum + 1, d.col + 1, vim.diagnostic.severity[d.severity] or '?', tostring(code_of(d)), d.message)
  end
end

local ok, err = pcall(function()
  out('NVIM %s', tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.' .. tostring(vim.version().patch))
  local exited = false
  local id = vim.lsp.start_client({
    name = 'faaslint',
    cmd = { 'node', server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'thumbnailer' } },
    on_exit = function(code, signal) exited = true out('SERVER-EXIT %s %s', tostring(code), tostring(signal)) end,
  })
  assert(id, 'vim.lsp.start_client returned nil')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  vim.lsp.buf_attach_client(0, id)

  -- The s3 finding names the functions whose handlers were indexed: wait for it and the secret.
  local got = vim.wait(30000, function() return exited or (find(is_s3_wildcard) ~= nil and find(is_secret) ~= nil) end, 100)
  local client = vim.lsp.get_client_by_id(id)
  assert(client and not exited, 'the language server exited')
  out('SERVER %s pull=%s', client.name, tostring(client.server_capabilities.diagnosticProvider ~= nil))
  print_diagnostics('DIAG')
  assert(got, 'no s3:* and secret diagnostics within 30 s (' .. #vim.diagnostic.get(0) .. ' diagnostics)')

  local d = find(is_s3_wildcard)
  local range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } }
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(0),
    range = range,
    context = { diagnostics = { { range = range, message = d.message, source = d.source, code = code_of(d), severity = d.severity } } },
  }
  local responses = assert(vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 10000), 'codeAction timed out')
  local fix
  for _, response in pairs(responses) do
    assert(not response.err, 'codeAction error: ' .. vim.inspect(response.err))
    for _, action in ipairs(response.result or {}) do
      out('ACTION %s | kind=%s preferred=%s edit=%s', action.title, tostring(action.kind), tostring(action.isPreferred == true), tostring(action.edit ~= nil))
      if not fix and action.isPreferred and action.edit then fix = action end
    end
  end
  assert(fix, 'no preferred code action with an edit')

  -- Apply it as the editor would; the change goes to the server, which publishes again.
  vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or 'utf-16')
  out('LINE %d %s', d.lnum + 1, vim.api.nvim_buf_get_lines(0, d.lnum, d.lnum + 1, false)[1])
  local gone = vim.wait(15000, function() return find(is_s3_wildcard) == nil and find(is_dynamodb_wildcard) ~= nil end, 100)
  print_diagnostics('AFTER')
  assert(gone, 's3:* diagnostic still there (or dynamodb:* gone) 15 s after the fix')
end)

if ok then
  out('DONE')
  vim.cmd('qall!')
else
  out('ERROR %s', tostring(err))
  vim.cmd('cquit 2')
end
`;

const tmp: string[] = [];
after(() => {
  for (const dir of tmp) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
});

test('Neovim 0.7 (push diagnostics) gets faaslint findings and code actions over stdio', { timeout: (TIMEOUT_S + 60) * 1000 }, async () => {
  const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, 'nvim is not installed: run `bash scripts/e2e/install.sh`');
  ensureServerBuilt();

  const home = tempDir('nvim');
  tmp.push(home);
  const workspace = copyExamples(path.join(home, 'thumbnailer'));
  const script = path.join(home, 'check.lua');
  const outFile = path.join(home, 'nvim.out');
  fs.writeFileSync(script, LUA);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FAASLINT_LAUNCHER: LAUNCHER,
    FAASLINT_WORKSPACE: workspace,
    // Neovim's state, cache (lsp.log) and config stay in the throwaway dir.
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_STATE_HOME: path.join(home, 'state'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
  };

  const started = Date.now();
  // `timeout` bounds nvim (and the server it started) even if this process dies; stopDetached
  // kills the whole process group regardless.
  const child = startDetached('timeout', ['-k', '5', String(TIMEOUT_S), 'nvim', '--headless', '--clean', '-u', 'NONE', '-c', `luafile ${script}`], {
    cwd: workspace,
    env,
    logFile: outFile,
  });
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    exit = await new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  } finally {
    await stopDetached(child);
  }
  const output = fs.readFileSync(outFile, 'utf8');
  log(`nvim exited with ${exit.code ?? exit.signal} after ${Date.now() - started} ms; it printed:\n${output.trimEnd()}`);
  const lspLog = path.join(home, 'cache', 'nvim', 'lsp.log');
  const fail = (message: string): never => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.copyFileSync(outFile, path.join(ARTIFACTS, 'nvim.out'));
    if (fs.existsSync(lspLog)) fs.copyFileSync(lspLog, path.join(ARTIFACTS, 'nvim-lsp.log'));
    assert.fail(`${message}\n(nvim output and lsp.log copied to ${ARTIFACTS})\n${output}`);
  };
  if (exit.code === 124 || exit.code === 137) fail(`nvim did not finish within ${TIMEOUT_S} s`);
  if (exit.code !== 0 || !/^DONE$/m.test(output)) fail(`nvim exited with ${exit.code ?? exit.signal}`);

  const lines = output.split('\n');
  const diags = lines.filter((l) => l.startsWith('DIAG '));
  const actions = lines.filter((l) => l.startsWith('ACTION '));
  const afterFix = lines.filter((l) => l.startsWith('AFTER '));

  assert.match(output, /^NVIM 0\.\d+\.\d+$/m);
  assert.match(output, /^SERVER faaslint pull=false$/m, 'the server must not offer pull diagnostics to a client without them');
  // serverless.yml: `Action: 's3:*'` and the Stripe key, with rule ids as diagnostic codes.
  const sls = fs.readFileSync(path.join(workspace, 'serverless.yml'), 'utf8').split('\n');
  const s3Line = sls.findIndex((l) => l.includes("'s3:*'")) + 1;
  assert.ok(
    diags.some((l) => l.startsWith(`DIAG ${s3Line}:`) && / ERROR iam-no-wildcard-action .*`s3:\*`/.test(l)),
    `no iam-no-wildcard-action error for s3:* on line ${s3Line}:\n${diags.join('\n')}`,
  );
  assert.ok(diags.some((l) => / ERROR secrets-no-hardcoded .*Stripe/.test(l)), `no secrets-no-hardcoded error:\n${diags.join('\n')}`);
  assert.ok(diags.some((l) => / iam-no-wildcard-action .*`dynamodb:\*`/.test(l)), `no dynamodb:* finding:\n${diags.join('\n')}`);

  // Code actions: the rule's fix (preferred, with an edit), the suppression, the docs link.
  assert.ok(
    actions.some((l) => /^ACTION Replace `s3:\*` with the \d+ s3 actions? .*\| kind=quickfix preferred=true edit=true$/.test(l)),
    `no preferred "Replace \`s3:*\`" fix:\n${actions.join('\n')}`,
  );
  assert.ok(actions.some((l) => l.startsWith('ACTION Ignore iam-no-wildcard-action on this line ')), actions.join('\n'));
  assert.ok(actions.some((l) => l.startsWith('ACTION Open documentation for iam-no-wildcard-action ')), actions.join('\n'));

  // Applying it rewrote the line and the server published again without the s3 finding.
  const fixed = lines.find((l) => l.startsWith(`LINE ${s3Line} `)) ?? '';
  assert.match(fixed, /Action: .*s3:GetObject.*s3:PutObject/, `the fixed line: ${fixed}`);
  assert.ok(!afterFix.some((l) => /`s3:\*`/.test(l)), `s3:* still reported after the fix:\n${afterFix.join('\n')}`);
  assert.ok(afterFix.some((l) => / iam-no-wildcard-action .*`dynamodb:\*`/.test(l)), afterFix.join('\n'));
});
