import { Product } from './Product.js';
import { Query } from './Query.js';
import { Review } from './Review.js';
import { ReviewAnalysis, TextAnalysis } from './ReviewAnalysis.js';

export const resolvers = { Query, Review, Product, ReviewAnalysis, TextAnalysis };
