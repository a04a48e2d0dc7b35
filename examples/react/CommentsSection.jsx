// Inkwell inside a React 19 component. React 19 supports custom elements: a prop whose name the element has as a
// property (`pageSize`, `strings`) is set as that property, any other becomes an attribute, and a prop `on` + the
// exact event name (`onink-posted`) adds an event listener. Import 'inkwell' before rendering, so that the elements
// are defined, and so have their properties, when React sets them.
import { useState } from 'react';
import 'inkwell';

/** Labels changed through the `strings` property: an object, which only a property can carry. */
const strings = { 'form.submit': 'Send comment' };

export function CommentsSection({ endpoint, thread }) {
  const [status, setStatus] = useState('');
  return (
    <section className="comments">
      <ink-comments
        endpoint={endpoint}
        thread={thread}
        pageSize={20}
        strings={strings}
        onink-loaded={(e) => setStatus(`${e.detail.total} comments`)}
        onink-posted={(e) => setStatus(`Thanks, ${e.detail.comment.name}!`)}
      />
      <p className="comments-status" role="status">{status}</p>
    </section>
  );
}
