# d2l-ai/d2l-zh @ v1.0.0 (abb4113be45c) chapter_natural-language-processing/similarity-analogy.md: its code cells in order, unmodified

# %%
from mxnet import nd
from mxnet.contrib import text

text.embedding.get_pretrained_file_names().keys()

# %%
print(text.embedding.get_pretrained_file_names('glove'))

# %%
glove_6b50d = text.embedding.create(
    'glove', pretrained_file_name='glove.6B.50d.txt')

# %%
len(glove_6b50d)

# %%
glove_6b50d.token_to_idx['beautiful'], glove_6b50d.idx_to_token[3367]

# %%
def knn(W, x, k):
    # 添加的1e-9是为了数值稳定性
    cos = nd.dot(W, x.reshape((-1,))) / (
        (nd.sum(W * W, axis=1) + 1e-9).sqrt() * nd.sum(x * x).sqrt())
    topk = nd.topk(cos, k=k, ret_typ='indices').asnumpy().astype('int32')
    return topk, [cos[i].asscalar() for i in topk]

# %%
def get_similar_tokens(query_token, k, embed):
    topk, cos = knn(embed.idx_to_vec,
                    embed.get_vecs_by_tokens([query_token]), k+1)
    for i, c in zip(topk[1:], cos[1:]):  # 除去输入词
        print('cosine sim=%.3f: %s' % (c, (embed.idx_to_token[i])))

# %%
get_similar_tokens('chip', 3, glove_6b50d)

# %%
get_similar_tokens('baby', 3, glove_6b50d)

# %%
get_similar_tokens('beautiful', 3, glove_6b50d)

# %%
def get_analogy(token_a, token_b, token_c, embed):
    vecs = embed.get_vecs_by_tokens([token_a, token_b, token_c])
    x = vecs[1] - vecs[0] + vecs[2]
    topk, cos = knn(embed.idx_to_vec, x, 1)
    return embed.idx_to_token[topk[0]]

# %%
get_analogy('man', 'woman', 'son', glove_6b50d)

# %%
get_analogy('beijing', 'china', 'tokyo', glove_6b50d)

# %%
get_analogy('bad', 'worst', 'big', glove_6b50d)

# %%
get_analogy('do', 'did', 'go', glove_6b50d)
