/**
 * English: the default strings, and the set of keys every other locale translates. A string may hold `{name}`
 * placeholders; a plural is an object of `Intl.PluralRules` categories (`other` is required).
 * @module
 */
export const en = {
  // <ink-comment-form>
  'form.heading': 'Leave a comment',
  'form.headingReply': 'Leave a reply to {name}',
  'form.cancelReply': 'Cancel reply',
  'form.required': 'Required fields are marked *',
  'form.body': 'Comment',
  'form.name': 'Name',
  'form.email': 'Email',
  'form.emailNote': 'Your email address will not be published.',
  'form.website': 'Website',
  'form.remember': 'Save my name, email, and website in this browser for the next time I comment.',
  'form.submit': 'Post Comment',
  'form.sending': 'Posting your comment…',
  'form.posted': 'Your comment was posted.',
  'form.pending': 'Your comment is awaiting moderation.',
  'form.retry': 'Retry',
  'form.errorSummary': { one: 'Please fix {n} problem in the form.', other: 'Please fix {n} problems in the form.' },
  'form.didYouMean': 'Did you mean {url}?',
  'form.useSuggestion': 'Use {url}',
  'form.count': '{count} / {max} characters',
  'form.tooLong': { one: '{n} character too many.', other: '{n} characters too many.' },
  'form.noEndpoint': 'This comment form has no endpoint: set its endpoint attribute.',
  'form.draftRestored': 'Your unsent comment was restored.',
  'form.honeypot': 'Leave this field empty',
  // errors of a request (form, list, article)
  'error.network': 'Could not reach the comment server. Check your connection; your comment is kept here.',
  'error.timeout': 'The comment server did not answer in time. Your comment is kept here; try again.',
  'error.rateLimited': { one: 'Too many comments at once. Try again in {n} second.', other: 'Too many comments at once. Try again in {n} seconds.' },
  'error.rateLimitedNow': 'Too many comments at once. Try again in a moment.',
  'error.tooLarge': 'Your comment is too large for the server.',
  'error.duplicate': 'You already posted this comment.',
  'error.validation': 'The server did not accept some fields; see the messages next to them.',
  'error.notFound': 'The comment you are replying to no longer exists.',
  'error.client': 'The server refused the comment ({status}).',
  'error.server': 'The comment server had a problem ({status}). Your comment is kept here; try again.',
  'error.badResponse': 'The comment server sent an answer that could not be read.',
  // validation (keys of schema.ts validationMessages)
  'body.required': 'Please write a comment.',
  'body.tooLong': 'Your comment is too long: at most {max} characters.',
  'body.control': 'Your comment contains control characters that cannot be stored.',
  'name.required': 'Please enter your name.',
  'name.tooLong': 'Your name is too long: at most {max} characters.',
  'name.control': 'Your name contains control characters or line breaks.',
  'email.required': 'Please enter your email address.',
  'email.invalid': 'Please enter a valid email address, like name@example.com.',
  'email.tooLong': 'Your email address is too long: at most {max} characters.',
  'website.invalid': 'Please enter a web address starting with http:// or https://.',
  'website.control': 'Your website address contains line breaks or control characters.',
  'website.credentials': 'Please leave the user name and password out of your website address.',
  'website.tooLong': 'Your website address is too long: at most {max} characters.',
  'thread.invalid': 'This page has no valid thread id.',
  'parentId.invalid': 'The comment you are replying to is not valid.',
  // <ink-comments>
  'comments.label': 'Comments',
  'comments.none': 'No comments yet',
  'comments.count': { one: '{n} comment', other: '{n} comments' },
  'comments.loading': 'Loading comments…',
  'comments.loadMore': 'Load more comments',
  'comments.loadError': 'Comments could not be loaded: {message}',
  'comments.reply': 'Reply',
  'comments.replyTo': 'Reply to {name}',
  'comments.inReplyTo': 'In reply to {name}',
  'comments.noEndpoint': 'Comments cannot load: the endpoint attribute is missing.',
  'comments.empty': 'Be the first to comment.',
  'comments.moreLoaded': { one: '{n} more comment loaded.', other: '{n} more comments loaded.' },
  'comments.errorNetwork': 'The comment server could not be reached. Check your connection.',
  'comments.errorTimeout': 'The comment server did not answer in time.',
  'comments.errorServer': 'The comment server had a problem ({status}).',
  'comments.errorNotFound': 'No comment server answers at this address (404).',
  'comments.errorClient': 'The comment server refused the request ({status}).',
  'comments.errorRateLimited': { one: 'Too many requests. Try again in {n} second.', other: 'Too many requests. Try again in {n} seconds.' },
  'comments.errorRateLimitedNow': 'Too many requests. Try again in a moment.',
  // <ink-count>
  'count.comments': { one: '{n} comment', other: '{n} comments' },
  'count.none': 'No comments',
  'count.error': 'The comment count could not be loaded: {message}',
  // <ink-article>
  'article.readingTime': { one: '{n} min read', other: '{n} min read' },
  'article.by': 'By {author}',
  'article.published': '{date}',
  'article.updated': 'Updated {date}',
  'article.loading': 'Loading the article…',
  'article.error': 'The article could not be loaded. {message}',
  'article.empty': 'This article has no text yet.',
  'article.notFound': 'Nothing was found at {url} ({status}).',
  'article.status': 'The server answered {status} for {url}.',
  'article.network': 'Could not reach {url}.',
  'article.timeout': { one: 'No answer from {url} within {n} second.', other: 'No answer from {url} within {n} seconds.' },
  'article.notJson': 'The answer from {url} is not JSON.',
  'article.badShape': 'The answer from {url} is not an article: it needs a title and a body.',
  'article.invalid': 'This article cannot be shown: its data is not valid (check {fields}).',
  'article.noRenderer': 'This article cannot be shown: the code for {format} articles did not load.',
};

/** A plural string: one form per `Intl.PluralRules` category; `other` is required. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** The keys of every locale. */
export type StringKey = keyof typeof en;

/** A locale: a translation for every key. */
export type Strings = { [K in StringKey]: (typeof en)[K] extends string ? string : PluralForms };
