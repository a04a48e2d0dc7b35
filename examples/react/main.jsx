import { createRoot } from 'react-dom/client';
import { CommentsSection } from './CommentsSection.jsx';

createRoot(document.getElementById('root')).render(<CommentsSection endpoint="/api/comments" thread="post-42" />);
