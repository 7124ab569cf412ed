"""Reading files: the one line-numbered reader of CSV tables (the seed, the data's word lists, your
imports) and the progress bar of long reads. Below the domain: imports only errors and i18n."""
