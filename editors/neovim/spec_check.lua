-- Neovim 0.8+: start spec-check's language server for Turtle files (put in init.lua).
vim.filetype.add({ extension = { ttl = "turtle", turtle = "turtle" } })
vim.api.nvim_create_autocmd("FileType", {
  pattern = "turtle",
  callback = function(args)
    local marker = vim.fs.find({ ".spec-check", "spec-check.toml", ".git" },
      { upward = true, path = vim.fs.dirname(vim.api.nvim_buf_get_name(args.buf)) })[1]
    vim.lsp.start({
      name = "spec-check",
      cmd = { "spec-check", "lsp" },
      root_dir = marker and vim.fs.dirname(marker) or vim.fn.getcwd(),
      init_options = { debounce = 0.1 },
    })
  end,
})
