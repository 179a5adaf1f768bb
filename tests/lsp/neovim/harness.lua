-- Loaded after editors/neovim/spec_check.lua (tests/lsp/test_neovim.py): open each file named
-- in files.txt, wait until the language server's diagnostics reach the buffer, write them all
-- to diagnostics.json, quit.
local out = {}
for _, file in ipairs(vim.fn.readfile("files.txt")) do
  vim.cmd("edit " .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  if not vim.wait(60000, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
    table.insert(out, { file = file, timeout = true })
  end
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local sent = d.user_data and d.user_data.lsp or {} -- Neovim 0.7 keeps the LSP code there
    table.insert(out, { file = file, line = d.lnum + 1, col = d.col, end_col = d.end_col,
                        code = d.code or sent.code, source = d.source, message = d.message })
  end
end
vim.fn.writefile({ vim.fn.json_encode(out) }, "diagnostics.json")
vim.cmd("qa!")
