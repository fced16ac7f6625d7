import { Product } from './Product.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Review } from './Review.js';
import { ReviewAnalysis, TextAnalysis } from './ReviewAnalysis.js';

export const resolvers = { Query, Mutation, Review, Product, ReviewAnalysis, TextAnalysis };
