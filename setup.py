from setuptools import find_packages, setup

setup(
    name='gluonbook',
    version='1.0.0',
    description='The helpers of Dive into Deep Learning (MXNet/Gluon edition), on today\'s Python stack',
    long_description=open('README.md').read(),
    long_description_content_type='text/markdown',
    license='Apache-2.0',
    packages=find_packages(include=['gluonbook', 'gluonbook.*']),
    python_requires='>=3.8',
    # MXNet itself is an extra: `.[cpu]` installs mxnet 1.9.1; GPU users install an mxnet-cuXXX build instead.
    install_requires=[
        'numpy>=1.16,<1.24',  # MXNet 1.9.1 uses aliases that numpy 1.24 removed
        'matplotlib>=3.10',  # older versions fail to import under IPython 9
        'matplotlib-inline>=0.1.6',
        'pooch>=1.6',
        'tqdm>=4.60',
        'nbclient>=0.7',
        'nbformat>=5.7',
        'ipykernel>=6.0',
    ],
    extras_require={
        'cpu': ['mxnet==1.9.1'],
        'test': ['pytest>=7', 'hypothesis>=6', 'ruff>=0.5'],
    },
    entry_points={'console_scripts': ['gluonbook = gluonbook.cli:main']},
)
