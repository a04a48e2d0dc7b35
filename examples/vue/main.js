// With a bundler, `vue` is the runtime-only build: alias it to 'vue/dist/vue.esm-bundler.js' for string templates
// like the one in CommentsSection.js, or write the component as a .vue file.
import { createApp } from 'vue';
import 'inkwell';
import { CommentsSection, isCustomElement } from './CommentsSection.js';

const app = createApp(CommentsSection, { endpoint: '/api/comments', thread: 'post-42' });
app.config.compilerOptions.isCustomElement = isCustomElement;
app.mount('#app');
