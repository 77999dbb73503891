-- Neovim 0.7's own LSP client against `ecslint server`, headless: run by
-- tests/test_neovim.py as `nvim --headless --clean -u init.lua FILE`.
-- ECSLINT_SERVER_CMD: the server's command (JSON list); ECSLINT_OUT: where the
-- result goes (JSON: the diagnostics, the code action titles, errors).
local out = vim.env.ECSLINT_OUT
local result = { diagnostics = {}, actions = {}, errors = {} }

local function finish()
  local file = io.open(out, "w")
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd("qall!")
end

local function run()
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = "ecslint",
    cmd = vim.fn.json_decode(vim.env.ECSLINT_SERVER_CMD),
    root_dir = vim.fn.getcwd(),
    on_exit = function(code) result.exit_code = code end,
  })
  if not client_id then
    table.insert(result.errors, "start_client failed")
    return
  end
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  if not vim.wait(30000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50) then
    table.insert(result.errors, "no diagnostics arrived")
    return
  end
  result.offset_encoding = client.offset_encoding
  local target = nil
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, {
      code = d.code, lnum = d.lnum, col = d.col, end_col = d.end_col,
      source = d.source, message = d.message, severity = d.severity,
    })
    if d.code == vim.env.ECSLINT_RULE then target = d end
  end
  if target == nil then
    table.insert(result.errors, "no " .. vim.env.ECSLINT_RULE .. " diagnostic")
    return
  end
  -- As 0.7's vim.lsp.buf.range_code_action() asks: the range from the buffer's byte
  -- columns in the client's encoding, the line's diagnostics as context.
  local params = vim.lsp.util.make_given_range_params(
    { target.lnum + 1, target.col }, { target.lnum + 1, target.col }, bufnr,
    client.offset_encoding)
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, target.lnum) }
  local response = client.request_sync("textDocument/codeAction", params, 10000, bufnr)
  if response == nil or response.err then
    table.insert(result.errors, "codeAction failed: " .. vim.inspect(response))
    return
  end
  local preferred = nil
  for _, action in ipairs(response.result or {}) do
    table.insert(result.actions, action.title)
    if action.isPreferred and preferred == nil then preferred = action end
  end
  if preferred == nil then
    table.insert(result.errors, "no preferred code action")
    return
  end
  vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding)
  vim.cmd("write")
  -- The fixed text, linted again after the debounce: the diagnostic is gone.
  result.fixed = vim.wait(10000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == vim.env.ECSLINT_RULE then return false end
    end
    return true
  end, 50)
end

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    local ok, err = pcall(run)
    if not ok then table.insert(result.errors, tostring(err)) end
    finish()
  end,
})
