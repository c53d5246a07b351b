"""The handling workspace's views, by area; urls.py names each view by its module.

- handling.py: the inbox (filters, keyset pages, saved views) and one report;
- phenomena.py: phenomena, proposals, advocacy steps and answers, merge and split;
- digest.py: the readers' overview and the "you said, we did" digest;
- codebook.py: the theme codebook;
- passages.py: quotes, redaction and the redaction queue (passage_context.py: what the
  report page and these views show about passages);
- organisation.py: workflow states, readers' access to texts, the audit log;
- _common.py: what several of them share.

Every view starts from a helper in coding/access.py: 404 for people outside the
organisation and for reports outside a handler's units, 403 (without data) for members
whose role lacks the right.
"""
