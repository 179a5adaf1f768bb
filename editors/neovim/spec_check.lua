-- spec-check's language server for Turtle spec files and spec-kit Markdown (spec.md, plan.md,
-- tasks.md). Put in init.lua. Neovim 0.8+ uses vim.lsp.start; 0.7 (Debian bookworm) gets the
-- same through vim.lsp.start_client and vim.lsp.buf_attach_client.
local markers = { ".spec-check", "spec-check.toml", ".git" }
local clients = {} -- Neovim 0.7: one client per root folder

local function spec_check_root(file)
  local dir = vim.fn.fnamemodify(file, ":p:h")
  while true do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return vim.fn.getcwd()
    end
    dir = parent
  end
end

local function start_spec_check(bufnr)
  local config = {
    name = "spec-check",
    cmd = { "spec-check", "lsp" },
    root_dir = spec_check_root(vim.api.nvim_buf_get_name(bufnr)),
    init_options = { debounce = 0.1 },
  }
  if vim.lsp.start then
    vim.lsp.start(config) -- reuses the client of the same name and root
    return
  end
  local id = clients[config.root_dir]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(config)
    clients[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

vim.api.nvim_create_autocmd({ "BufReadPost", "BufNewFile" }, {
  pattern = { "*.ttl", "*.turtle", "*/spec.md", "*/plan.md", "*/tasks.md", "*/data-model.md",
              "*/checklists/*.md" },
  callback = function(args)
    start_spec_check(args.buf)
  end,
})
