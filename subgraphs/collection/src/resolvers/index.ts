import { Mutation } from './Mutation.js';
import { Product } from './Product.js';
import { Query } from './Query.js';
import { Review } from './Review.js';
import { ReviewChange } from './ReviewChange.js';
import { ModerationPolicy } from './ModerationPolicy.js';
import { Source } from './Source.js';

export const resolvers = { Query, Mutation, Product, Review, ReviewChange, Source, ModerationPolicy };
