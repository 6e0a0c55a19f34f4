-- Headless Neovim as the editor: its built-in LSP client runs `kmc lsp` on a copy of the example
-- app, edits buffers as a user would (unsaved), and reads vim.diagnostic.get() before and after.
-- Run by lsp_neovim.sh: KMC (the binary) and ROOT (the workspace) come from the environment.
local kmc, root = os.getenv("KMC"), os.getenv("ROOT")
local failures = 0
local function ok(what) io.stdout:write("ok: " .. what .. "\n") end
local function bad(what) io.stdout:write("FAIL: " .. what .. "\n"); failures = failures + 1 end

local id = vim.lsp.start_client({ name = "kmc", cmd = { kmc, "lsp" }, root_dir = root })
if not id then
  io.stdout:write("FAIL: the client did not start kmc lsp\n")
  vim.cmd("cquit 1")
end

-- The rule ids of a file's diagnostics (Neovim keeps an LSP diagnostic's code in user_data).
local function codes(name)
  local buf = vim.fn.bufnr(root .. "/" .. name)
  local out = {}
  if buf < 0 then return out end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
    out[tostring(code)] = (out[tostring(code)] or 0) + 1
  end
  return out
end

local function wait_until(what, predicate)
  if vim.wait(20000, predicate, 20) then ok(what) else bad(what .. " (diagnostics: " .. vim.inspect(vim.diagnostic.get()) .. ")") end
end

local function line_of(pattern)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do
    if l:find(pattern, 1, true) then return i - 1, l end
  end
  bad("no line holds " .. pattern)
  return 0, ""
end

-- 1. The catalog Deployment's template label does not match its selector, so the Service in
-- the same file selects nothing. Fixing the label in the buffer clears both.
vim.cmd("edit " .. root .. "/30-catalog.yaml")
vim.lsp.buf_attach_client(0, id)
wait_until("before: 30-catalog.yaml has workload/selector-mismatch and service/no-matching-pods", function()
  local c = codes("30-catalog.yaml")
  return c["workload/selector-mismatch"] and c["service/no-matching-pods"]
end)
local n, text = line_of("app.kubernetes.io/name: catalogue")
vim.api.nvim_buf_set_lines(0, n, n + 1, false, { (text:gsub("catalogue", "catalog")) })
wait_until("after the label edit: both are cleared", function()
  local c = codes("30-catalog.yaml")
  return not c["workload/selector-mismatch"] and not c["service/no-matching-pods"]
end)

-- 2. Across files: renaming the redis Service in 10-redis.yaml leaves 20-web.yaml, which no
-- window shows, with variables of a Service that does not exist; undoing the edit clears them.
vim.cmd("edit " .. root .. "/10-redis.yaml")
vim.lsp.buf_attach_client(0, id)
n, text = line_of("name: redis-service")
vim.api.nvim_buf_set_lines(0, n, n + 1, false, { (text:gsub("redis%-service", "redis-svc")) })
wait_until("after renaming the Service: 20-web.yaml has discovery/unknown-service", function()
  return (codes("20-web.yaml")["discovery/unknown-service"] or 0) == 2
end)
vim.api.nvim_buf_set_lines(0, n, n + 1, false, { text })
wait_until("after renaming it back: 20-web.yaml's findings are cleared", function()
  return codes("20-web.yaml")["discovery/unknown-service"] == nil
end)

-- 3. Hover on a finding, and the file's objects.
vim.cmd("edit " .. root .. "/20-web.yaml")
vim.lsp.buf_attach_client(0, id)
vim.wait(5000, function() return next(codes("20-web.yaml")) ~= nil end, 20)
local client = vim.lsp.get_client_by_id(id)
local symbols = client.request_sync("textDocument/documentSymbol", { textDocument = vim.lsp.util.make_text_document_params() }, 5000, 0)
local names = {}
for _, s in ipairs((symbols and symbols.result) or {}) do table.insert(names, s.name) end
if table.concat(names, ",") == "Service web,Deployment web" then ok("documentSymbol lists the file's objects")
else bad("documentSymbol: " .. vim.inspect(names)) end
n = line_of("replicas: 3")
local hover = client.request_sync("textDocument/hover",
  { textDocument = vim.lsp.util.make_text_document_params(), position = { line = n, character = 12 } }, 5000, 0)
local value = hover and hover.result and hover.result.contents and hover.result.contents.value or ""
if value:find("affinity/no-anti-affinity", 1, true) then ok("hover on a finding explains its rule")
else bad("hover: " .. vim.inspect(hover)) end

-- 4. Hover on a field: its type and the API's description of it.
n = line_of("replicas: 3")
hover = client.request_sync("textDocument/hover",
  { textDocument = vim.lsp.util.make_text_document_params(), position = { line = n, character = 4 } }, 5000, 0)
value = hover and hover.result and hover.result.contents and hover.result.contents.value or ""
if value:find("**spec.replicas**: integer", 1, true) and value:find("desired pods", 1, true) then
  ok("hover on a field gives its type and description")
else bad("hover on a field: " .. vim.inspect(hover)) end

-- 5. A new file, never saved (`:edit` of a path that does not exist): its buffer is checked, and
-- a Service in it that selects nothing is reported before the first :write.
vim.cmd("edit " .. root .. "/50-search.yaml")
vim.lsp.buf_attach_client(0, id)
vim.api.nvim_buf_set_lines(0, 0, -1, false, {
  "apiVersion: v1", "kind: Service", "metadata:", "  name: search", "  namespace: shop", "spec:",
  "  selector:", "    app.kubernetes.io/name: search", "  ports:", "    - port: 80",
})
wait_until("a file not yet saved: 50-search.yaml has service/no-matching-pods", function()
  return codes("50-search.yaml")["service/no-matching-pods"] ~= nil
end)
if vim.loop.fs_stat(root .. "/50-search.yaml") == nil then ok("50-search.yaml is still not on disk")
else bad("50-search.yaml was written") end

client.stop()
vim.wait(5000, function() return client.is_stopped() end, 20)
if failures > 0 then vim.cmd("cquit 1") end
vim.cmd("qall!")
