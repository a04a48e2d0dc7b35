// Inkwell inside a Vue 3 component. Vue's template compiler must be told that `ink-*` tags are custom elements, not
// Vue components (`isCustomElement`, below). Vue sets a binding as a property when the element has one, and as an
// attribute otherwise; `.prop` makes it a property always (needed for objects such as `strings`, and safe before
// the element is defined). `@ink-posted` listens to the event of that exact name.
// The same template works in a single-file component: put it in <template> and `isCustomElement` in vite.config.js.

/** For `app.config.compilerOptions` (templates compiled in the browser) or `vue({ template: { compilerOptions } })`. */
export const isCustomElement = (tag) => tag.startsWith('ink-');

export const CommentsSection = {
  props: { endpoint: String, thread: String },
  data: () => ({ status: '', strings: { 'form.submit': 'Send comment' } }),
  template: `
    <section class="comments">
      <ink-comments
        :endpoint="endpoint"
        :thread="thread"
        :pageSize.prop="20"
        :strings.prop="strings"
        @ink-loaded="status = $event.detail.total + ' comments'"
        @ink-posted="status = 'Thanks, ' + $event.detail.comment.name + '!'"
      ></ink-comments>
      <p class="comments-status" role="status">{{ status }}</p>
    </section>`,
};
